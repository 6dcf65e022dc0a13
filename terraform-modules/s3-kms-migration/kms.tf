# --- KMS key ------------------------------------------------------------------------------------
# The customer-managed key every object version ends up under: rotation, alias and a
# least-privilege key policy (statements in policies.tf).

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

module "key_policy" {
  source = "./modules/policy-document"

  statements = local.key_policy_statements
}

resource "aws_kms_key" "this" {
  description              = "KMS key for SSE-KMS of migrated S3 objects"
  enable_key_rotation      = true
  deletion_window_in_days  = var.kms_key_deletion_window_days
  key_usage                = "ENCRYPT_DECRYPT"
  customer_master_key_spec = "SYMMETRIC_DEFAULT"
  policy                   = module.key_policy.json
  tags                     = local.tags

  # The key policy names the role by ARN; IAM refuses a policy naming a principal that does not exist yet.
  depends_on = [aws_iam_role.this]

  lifecycle {
    # Every migrated object is readable only through this key: a destroy in the wrong workspace or
    # a change that replaces the key must fail the plan, not schedule the deletion. A removed module
    # call or a moved address escapes it (no block left); see README.md, "Retiring the key", which
    # is also the reviewed change that removes this.
    prevent_destroy = true

    # The stack sets allowed_account_ids on its provider; a module must not configure providers,
    # so it refuses the wrong account and Region here, before anything is created.
    precondition {
      condition     = data.aws_caller_identity.current.account_id == var.account_id
      error_message = "The AWS credentials belong to account ${data.aws_caller_identity.current.account_id}, not account_id ${var.account_id}: use credentials of the buckets' account."
    }
    precondition {
      condition     = data.aws_region.current.region == var.region
      error_message = "The aws provider is configured for ${data.aws_region.current.region}, not region ${var.region}: the key, inventory and jobs must be in the buckets' Region."
    }
    precondition {
      condition     = alltrue([for arn in concat(var.kms_key_administrators, var.kms_key_users) : split(":", arn)[4] == var.account_id])
      error_message = "kms_key_administrators and kms_key_users must all be principals of account ${var.account_id}: cross-account key use is out of scope."
    }
    precondition {
      condition     = alltrue(flatten([for b in var.buckets : [for arn in b.readers : !contains(var.kms_key_users, arn)]]))
      error_message = "buckets[*].readers: a reader is also in kms_key_users, which already lets it read and write every migrated bucket through S3: list it in one place."
    }
    precondition {
      condition     = alltrue(flatten([for b in var.buckets : [for arn in b.readers : arn != "arn:aws:iam::${var.account_id}:root"]]))
      error_message = "buckets[*].readers: arn:aws:iam::${var.account_id}:root is this account's root: granting it would let every IAM policy of the account grant decrypt; name the roles or users that read the bucket."
    }
    precondition {
      condition     = alltrue(flatten([for b in var.buckets : [for p in b.accept_losing_access : !contains(var.kms_key_users, p)]]))
      error_message = "buckets[*].accept_losing_access: a principal is in kms_key_users and accepted to lose access at once: remove it from one of them."
    }
    precondition {
      condition     = length(local.shared_granting_sid_fragments) == 0
      error_message = "buckets: buckets granting readers or distributions share the key policy statement id ${join(", ", local.shared_granting_sid_fragments)} (ids keep only letters and digits): migrate one of them in another module call."
    }
  }
}

resource "aws_kms_alias" "this" {
  name          = var.kms_key_alias
  target_key_id = aws_kms_key.this.key_id

  # The runner and applications resolve the key through its alias; losing it breaks them as surely.
  lifecycle {
    prevent_destroy = true
  }
}
