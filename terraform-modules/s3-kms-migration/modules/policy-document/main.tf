# Renders typed statements into an aws_iam_policy_document: the one helper every policy of the
# parent module goes through (policyDocument() in stacks/constructs/policy.ts).
data "aws_iam_policy_document" "this" {
  version                 = "2012-10-17"
  source_policy_documents = length(var.source_policy_documents) == 0 ? null : var.source_policy_documents

  dynamic "statement" {
    for_each = var.statements

    content {
      sid       = statement.value.sid
      effect    = statement.value.effect
      actions   = statement.value.actions
      resources = statement.value.resources

      dynamic "principals" {
        for_each = statement.value.principals

        content {
          type        = principals.value.type
          identifiers = principals.value.identifiers
        }
      }

      dynamic "condition" {
        for_each = statement.value.conditions

        content {
          test     = condition.value.test
          variable = condition.value.variable
          values   = condition.value.values
        }
      }
    }
  }
}
