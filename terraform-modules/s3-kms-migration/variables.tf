# Inputs of the module: the same fields and rules as stacks/config.ts, in Terraform's snake_case.
# Rules that span two variables (principals in the account, Glue table collisions) are
# preconditions in kms.tf and catalog.tf, because validation blocks may only name their own
# variable before Terraform 1.9.

variable "stack" {
  description = "Name of the environment (the CDKTF stack name): 1-20 lower-case letters, digits and hyphens, starting with a letter. Names every resource and the reports prefix."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,19}$", var.stack))
    error_message = "stack: use 1-20 lower-case letters, digits and hyphens, starting with a letter."
  }
}

variable "region" {
  description = "Region of the buckets; the key, inventory, Glue, Athena and Batch Operations jobs live there too. Must match the provider's Region."
  type        = string

  validation {
    condition = contains([
      "us-east-1", "us-east-2", "us-west-1", "us-west-2",
      "af-south-1",
      "ap-east-1", "ap-south-1", "ap-south-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
      "ap-southeast-4", "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
      "ca-central-1", "ca-west-1",
      "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2",
      "eu-north-1",
      "il-central-1", "me-south-1", "me-central-1", "sa-east-1",
    ], var.region)
    error_message = "region: unknown region; use one where S3, KMS, Glue, Athena and S3 Batch Operations are all available (see stacks/config.ts KNOWN_REGIONS)."
  }
}

variable "account_id" {
  description = "12-digit AWS account id of the buckets. The module refuses to plan with credentials of another account."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.account_id))
    error_message = "account_id: must be a 12-digit AWS account id."
  }
}

variable "kms_key_alias" {
  description = "Alias of the new customer-managed key, e.g. alias/s3-migration-prod. alias/aws/ is reserved."
  type        = string

  validation {
    condition     = can(regex("^alias/[a-zA-Z0-9/_-]{1,250}$", var.kms_key_alias)) && !startswith(var.kms_key_alias, "alias/aws/")
    error_message = "kms_key_alias: must start with \"alias/\", not \"alias/aws/\", and use only letters, digits, \"/\", \"_\" and \"-\"."
  }
}

variable "kms_key_administrators" {
  description = "IAM role/user ARNs (or the account root) that administer the key without using it for data. The account root always may, through IAM."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.kms_key_administrators : can(regex("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(root|role/[A-Za-z0-9_+=,.@/-]+|user/[A-Za-z0-9_+=,.@/-]+)$", arn))])
    error_message = "kms_key_administrators: use arn:aws:iam::<12-digit account>:role/<name>, :user/<name> or :root."
  }
}

variable "kms_key_users" {
  description = "IAM role/user ARNs that read and write objects through S3 with the key: your applications and the role that runs the runner. Anyone missing here loses access to migrated objects."
  type        = list(string)

  validation {
    condition     = length(var.kms_key_users) > 0
    error_message = "kms_key_users: is empty: name at least the role that runs the migration runner, or nobody can read the encrypted objects."
  }

  validation {
    condition     = alltrue([for arn in var.kms_key_users : can(regex("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(root|role/[A-Za-z0-9_+=,.@/-]+|user/[A-Za-z0-9_+=,.@/-]+)$", arn))])
    error_message = "kms_key_users: use arn:aws:iam::<12-digit account>:role/<name>, :user/<name> or :root."
  }
}

variable "kms_key_deletion_window_days" {
  description = "Waiting period, in days, of a scheduled key deletion (7-30)."
  type        = number
  default     = 30

  validation {
    condition     = var.kms_key_deletion_window_days == floor(var.kms_key_deletion_window_days) && var.kms_key_deletion_window_days >= 7 && var.kms_key_deletion_window_days <= 30
    error_message = "kms_key_deletion_window_days: must be a whole number of days between 7 and 30."
  }
}

variable "buckets" {
  description = <<-EOT
    Existing buckets to migrate, each once. `existing_policy` is how the module learns the bucket's
    current policy, which aws_s3_bucket_policy would otherwise replace: "read" reads it at plan time
    (the data source fails when the bucket has none), "none" says there is none, anything else is
    the policy document as JSON (use jsonencode). `versioning` defaults to var.versioning.
    `dsse_kms = { migrate = true, source_key_arns = [...] }` copies DSSE-KMS versions in place under
    the key; the Batch Operations role may then kms:Decrypt the listed keys (ARNs in var.region)
    through S3. `accept_remaining` lists the classes ("SSE-C", "DSSE-KMS") left in place as reported
    exceptions that do not fail verification. `readers` (IAM role/user ARNs, or roots of other
    accounts) may kms:Decrypt this bucket's objects through S3 and nothing else;
    `cloudfront_distributions` (distribution ARNs) read it through their Origin Access Control;
    `accept_losing_access` (ARNs or service principals) read it today and are accepted to lose
    access: the runner reports them instead of refusing to run. `log_delivery` names the services
    that deliver logs into the bucket ("s3-server-access-logs", "vended-logs"): each may generate
    data keys for this bucket's objects from this account; "elb-access-logs" is refused (Elastic Load
    Balancing supports SSE-S3 destinations only). `replication_roles` (IAM role
    ARNs: the Role of the bucket's replication configuration) may kms:Decrypt this bucket's objects
    through S3 to replicate them; `accept_events` (SNS topic, SQS queue or Lambda function ARNs, or
    "eventbridge") are event notification destinations accepted to receive an event per migrated
    copy: the runner reports them instead of refusing to run.
  EOT
  type = list(object({
    name            = string
    prefix          = optional(string)
    existing_policy = optional(string, "none")
    versioning      = optional(bool)
    uses_acls       = optional(bool, false)
    object_lock     = optional(bool, false)
    dsse_kms = optional(object({
      migrate         = optional(bool, false)
      source_key_arns = optional(list(string), [])
    }), {})
    accept_remaining         = optional(list(string), [])
    readers                  = optional(list(string), [])
    cloudfront_distributions = optional(list(string), [])
    accept_losing_access     = optional(list(string), [])
    log_delivery             = optional(list(string), [])
    replication_roles        = optional(list(string), [])
    accept_events            = optional(list(string), [])
  }))

  validation {
    condition     = length(var.buckets) > 0
    error_message = "buckets: is empty: list at least one existing bucket to migrate."
  }

  validation {
    # RE2 has no lookahead: the IP-address and ".." rules of S3 bucket names are separate tests.
    condition = alltrue([for b in var.buckets :
      can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", b.name)) &&
      !can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+$", b.name)) &&
      !strcontains(b.name, "..")
    ])
    error_message = "buckets[*].name: not a valid S3 bucket name: 3-63 lower-case letters, digits, dots, hyphens."
  }

  validation {
    # The starts and ends S3 reserves ("General purpose bucket naming rules"), as stacks/config/names.ts lists them.
    condition = alltrue([for b in var.buckets :
      !anytrue([for reserved in ["xn--", "sthree-", "amzn-s3-demo-"] : startswith(b.name, reserved)]) &&
      !anytrue([for reserved in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] : endswith(b.name, reserved)])
    ])
    error_message = "buckets[*].name: S3 reserves names starting with xn--, sthree- or amzn-s3-demo- and ending with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3: no general purpose bucket has such a name; name the bucket itself."
  }

  validation {
    condition     = length(distinct([for b in var.buckets : b.name])) == length(var.buckets)
    error_message = "buckets: a bucket is listed twice: list each bucket once; use \"prefix\" to narrow it."
  }

  validation {
    condition     = alltrue([for b in var.buckets : b.prefix == null ? true : (length(b.prefix) > 0 && !startswith(b.prefix, "/"))])
    error_message = "buckets[*].prefix: must not be empty (leave it out to migrate the whole bucket) and must not start with \"/\"."
  }

  validation {
    # The prefix is granted to the Batch Operations role as arn:aws:s3:::<bucket>/<prefix>*: IAM reads * and ? there as
    # wildcards and ${ as a policy variable (aws_iam_policy_document writes &{ as ${), and a policy document holds only
    # printable characters up to U+00FF. %{ is refused too, as stacks/config/names.ts does for Terraform's own JSON.
    condition = alltrue([for b in var.buckets : b.prefix == null ? true : (
      !can(regex("[*?]", b.prefix)) &&
      !can(regex("[$&%]\\{", b.prefix)) &&
      !can(regex("[^\\x{20}-\\x{7e}\\x{80}-\\x{ff}]", b.prefix))
    )])
    error_message = "buckets[*].prefix: must be literal in the Batch Operations role's grant arn:aws:s3:::<bucket>/<prefix>*: no * or ? (IAM wildcards: \"*\" grants the whole bucket), no $${, &{ or %%{ (policy variables, Terraform expressions), only printable characters up to U+00FF (IAM policy documents take no others)."
  }

  validation {
    condition = alltrue([for b in var.buckets :
      contains(["read", "none"], b.existing_policy) || can(tolist(jsondecode(b.existing_policy).Statement))
    ])
    error_message = "buckets[*].existing_policy: must be \"read\" (the bucket has a policy: read it), \"none\" (it has none) or a policy document as JSON with a Statement array."
  }

  # That each key is in var.region is a precondition in batch-operations.tf (another variable).
  validation {
    condition = alltrue(flatten([for b in var.buckets : [for arn in b.dsse_kms.source_key_arns :
      can(regex("^arn:aws:kms:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$", arn))
    ]]))
    error_message = "buckets[*].dsse_kms.source_key_arns: use KMS key ARNs, arn:aws:kms:<region>:<12-digit account>:key/<key id>; not alias ARNs: IAM grants kms:Decrypt on the key itself, never through an alias."
  }

  validation {
    condition     = alltrue([for b in var.buckets : length(b.dsse_kms.source_key_arns) == length(distinct(b.dsse_kms.source_key_arns))])
    error_message = "buckets[*].dsse_kms.source_key_arns: a key is listed twice: list each key once."
  }

  validation {
    condition     = alltrue([for b in var.buckets : b.dsse_kms.migrate || length(b.dsse_kms.source_key_arns) == 0])
    error_message = "buckets[*].dsse_kms.source_key_arns: keys are listed while dsse_kms.migrate is false, so nothing would use them: set migrate = true to copy DSSE-KMS versions in place, or remove the keys."
  }

  validation {
    condition     = alltrue(flatten([for b in var.buckets : [for c in b.accept_remaining : contains(["SSE-C", "DSSE-KMS"], c)]]))
    error_message = "buckets[*].accept_remaining: unknown encryption class: use \"SSE-C\" or \"DSSE-KMS\", the only classes the migration does not rewrite by itself."
  }

  validation {
    condition     = alltrue([for b in var.buckets : length(b.accept_remaining) == length(distinct(b.accept_remaining))])
    error_message = "buckets[*].accept_remaining: a class is listed twice: list each class once."
  }

  validation {
    condition     = alltrue([for b in var.buckets : !(b.dsse_kms.migrate && contains(b.accept_remaining, "DSSE-KMS"))])
    error_message = "buckets[*].accept_remaining and buckets[*].dsse_kms.migrate: \"DSSE-KMS\" is accepted as remaining while dsse_kms.migrate is true: remove \"DSSE-KMS\" from accept_remaining to migrate those versions, or set migrate = false to leave them as reported exceptions."
  }

  # Key users, and the account's own root, are refused as readers by preconditions in kms.tf (other variables).
  validation {
    condition = alltrue(flatten([for b in var.buckets : [for arn in b.readers :
      can(regex("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:(root|role/[A-Za-z0-9_+=,.@/-]+|user/[A-Za-z0-9_+=,.@/-]+)$", arn))
    ]]))
    error_message = "buckets[*].readers: use arn:aws:iam::<12-digit account>:role/<name>, :user/<name>, or :root of another account; no wildcards: a grant reaches only who it names."
  }

  validation {
    condition     = alltrue([for b in var.buckets : length(b.readers) == length(distinct(b.readers))])
    error_message = "buckets[*].readers: a reader is listed twice: list each reader once."
  }

  validation {
    condition = alltrue(flatten([for b in var.buckets : [for arn in b.cloudfront_distributions :
      can(regex("^arn:aws:cloudfront::[0-9]{12}:distribution/[A-Z0-9]+$", arn))
    ]]))
    error_message = "buckets[*].cloudfront_distributions: use arn:aws:cloudfront::<12-digit account>:distribution/<distribution id>; no wildcards."
  }

  validation {
    condition     = alltrue([for b in var.buckets : length(b.cloudfront_distributions) == length(distinct(b.cloudfront_distributions))])
    error_message = "buckets[*].cloudfront_distributions: a distribution is listed twice: list each distribution once."
  }

  validation {
    condition = alltrue(flatten([for b in var.buckets : [for p in b.accept_losing_access :
      can(regex("^arn:aws(-cn|-us-gov)?:[a-z0-9-]+:[a-z0-9-]*:[a-z0-9]*:[^*?]+$", p)) || can(regex("^[a-z0-9-]+(\\.[a-z0-9-]+)*\\.amazonaws\\.com(\\.cn)?$", p))
    ]]))
    error_message = "buckets[*].accept_losing_access: name each principal as an ARN (arn:aws:iam::<account>:role/<name>, arn:aws:cloudfront::<account>:distribution/<id>, ...) or a service principal (<service>.amazonaws.com); no wildcards."
  }

  validation {
    condition     = alltrue([for b in var.buckets : length(b.accept_losing_access) == length(distinct(b.accept_losing_access))])
    error_message = "buckets[*].accept_losing_access: a principal is listed twice: list each principal once."
  }

  validation {
    condition     = alltrue([for b in var.buckets : length(setintersection(b.accept_losing_access, concat(b.readers, b.cloudfront_distributions))) == 0])
    error_message = "buckets[*].accept_losing_access: a principal is granted by readers or cloudfront_distributions and accepted to lose access at once: remove it from one of them."
  }

  validation {
    condition     = alltrue(flatten([for b in var.buckets : [for s in b.log_delivery : contains(["s3-server-access-logs", "vended-logs", "elb-access-logs"], s)]]))
    error_message = "buckets[*].log_delivery: use \"s3-server-access-logs\" (S3 server access logs), \"vended-logs\" (delivery.logs.amazonaws.com: VPC flow logs, CloudFront standard logs, ...) or \"elb-access-logs\"."
  }

  validation {
    condition     = alltrue([for b in var.buckets : length(b.log_delivery) == length(distinct(b.log_delivery))])
    error_message = "buckets[*].log_delivery: a service is listed twice: list each service once."
  }

  validation {
    # https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
    condition     = alltrue([for b in var.buckets : !contains(b.log_delivery, "elb-access-logs")])
    error_message = "buckets[*].log_delivery: \"elb-access-logs\": Elastic Load Balancing access logs support SSE-S3 destination buckets only (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html), so no key policy keeps them arriving once the bucket is under the key. Point the load balancers' access logs at a bucket that keeps SSE-S3 first, then remove \"elb-access-logs\" and migrate this bucket."
  }

  validation {
    condition = alltrue([for b in var.buckets : length(setintersection(b.accept_losing_access, [for s in b.log_delivery : lookup({
      "s3-server-access-logs" = "logging.s3.amazonaws.com"
      "vended-logs"           = "delivery.logs.amazonaws.com"
    }, s, s)])) == 0])
    error_message = "buckets[*].log_delivery: a service is granted by log_delivery and accepted to lose access in accept_losing_access at once: remove it from one of them."
  }

  validation {
    condition = alltrue(flatten([for b in var.buckets : [for arn in b.replication_roles :
      can(regex("^arn:aws(-cn|-us-gov)?:iam::[0-9]{12}:role/[A-Za-z0-9_+=,.@/-]+$", arn))
    ]]))
    error_message = "buckets[*].replication_roles: use the Role of the bucket's replication configuration, arn:aws:iam::<12-digit account>:role/<name>; no wildcards."
  }

  validation {
    condition     = alltrue([for b in var.buckets : length(b.replication_roles) == length(distinct(b.replication_roles))])
    error_message = "buckets[*].replication_roles: a role is listed twice: list each role once."
  }

  validation {
    condition = alltrue(flatten([for b in var.buckets : [for d in b.accept_events :
      d == "eventbridge" || can(regex("^arn:aws(-cn|-us-gov)?:(sns|sqs):[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_.-]+$", d)) || can(regex("^arn:aws(-cn|-us-gov)?:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$", d))
    ]]))
    error_message = "buckets[*].accept_events: name each destination by its SNS topic, SQS queue or Lambda function ARN, or \"eventbridge\"; no wildcards."
  }

  validation {
    condition     = alltrue([for b in var.buckets : length(b.accept_events) == length(distinct(b.accept_events))])
    error_message = "buckets[*].accept_events: a destination is listed twice: list each destination once."
  }
}

variable "versioning" {
  description = "Default of buckets[*].versioning: enable versioning on the migrated buckets (a copy in place keeps the unencrypted original as a noncurrent version)."
  type        = bool
  default     = true
}

variable "inventory_frequency" {
  description = "S3 Inventory schedule: Daily or Weekly (weekly reports arrive on Sundays)."
  type        = string
  default     = "Daily"

  validation {
    condition     = contains(["Daily", "Weekly"], var.inventory_frequency)
    error_message = "inventory_frequency: use \"Daily\" or \"Weekly\"."
  }
}

variable "inventory_format" {
  description = "S3 Inventory report format: CSV, Parquet or ORC. Parquet and ORC are cheaper to query."
  type        = string
  default     = "Parquet"

  validation {
    condition     = contains(["CSV", "Parquet", "ORC"], var.inventory_format)
    error_message = "inventory_format: use \"CSV\", \"Parquet\" or \"ORC\"."
  }
}

variable "inventory_retention_days" {
  description = "Days after which inventory reports expire."
  type        = number
  default     = 14

  validation {
    condition     = var.inventory_retention_days == floor(var.inventory_retention_days) && var.inventory_retention_days >= 1
    error_message = "inventory_retention_days: must be a whole number of at least 1 day."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "After verification, the runner expires noncurrent versions after this many days (output noncurrent_days)."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days == floor(var.noncurrent_version_expiration_days) && var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days: must be a whole number of at least 1 day."
  }
}

variable "newer_noncurrent_versions" {
  description = "Noncurrent versions the runner keeps regardless of age (1-100); null keeps none (output 0)."
  type        = number
  default     = null

  validation {
    condition     = var.newer_noncurrent_versions == null ? true : (var.newer_noncurrent_versions == floor(var.newer_noncurrent_versions) && var.newer_noncurrent_versions >= 1 && var.newer_noncurrent_versions <= 100)
    error_message = "newer_noncurrent_versions: must be a whole number between 1 and 100, or null."
  }
}

variable "deny_unencrypted_uploads" {
  description = "The bucket policy refuses uploads that ask for any encryption other than SSE-KMS with the migration key. Uploads that ask for none still work: default encryption applies the key."
  type        = bool
  default     = true
}

variable "encryption_policy_mode" {
  description = "\"enforce\": the migrated buckets' policies refuse uploads naming an encryption other than SSE-KMS with the key. \"audit\": those denies are left out (TLS-only stays) for a first deploy, while writers that send x-amz-server-side-encryption: AES256 are found (README, \"Readers and writers of a bucket\"); then switch to \"enforce\"."
  type        = string
  default     = "enforce"
  nullable    = false

  validation {
    condition     = contains(["enforce", "audit"], var.encryption_policy_mode)
    error_message = "encryption_policy_mode: use \"enforce\" (refuse uploads naming another encryption) or \"audit\" (leave those denies out while you find such writers)."
  }
}

variable "reports_retention_days" {
  description = "Days after which manifests and completion reports (the audit trail) expire."
  type        = number
  default     = 400

  validation {
    condition     = var.reports_retention_days == floor(var.reports_retention_days) && var.reports_retention_days >= 1
    error_message = "reports_retention_days: must be a whole number of at least 1 day."
  }
}

variable "athena_results_retention_days" {
  description = "Days after which Athena query results expire."
  type        = number
  default     = 7

  validation {
    condition     = var.athena_results_retention_days == floor(var.athena_results_retention_days) && var.athena_results_retention_days >= 1
    error_message = "athena_results_retention_days: must be a whole number of at least 1 day."
  }
}

variable "athena_bytes_scanned_cutoff_per_query" {
  description = "A query scanning more bytes fails instead of running up a bill. At least 10485760 (Athena's minimum); default 100 GiB."
  type        = number
  default     = 107374182400

  validation {
    condition     = var.athena_bytes_scanned_cutoff_per_query == floor(var.athena_bytes_scanned_cutoff_per_query) && var.athena_bytes_scanned_cutoff_per_query >= 10485760
    error_message = "athena_bytes_scanned_cutoff_per_query: must be a whole number of bytes, at least 10485760 (10 MB), Athena's minimum."
  }
}

variable "alarm_enabled" {
  description = "EventBridge rule on CloudTrail DisableKey/ScheduleKeyDeletion of the key, to an SNS topic. Needs CloudTrail management events."
  type        = bool
  default     = true
}

variable "alarm_emails" {
  description = "Email subscriptions of the key alarm topic (each must confirm)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alarm_emails : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alarm_emails: not an email address."
  }
}

variable "tags" {
  description = "Tags of every resource the module creates; kms-migration:stack is added. Set the same map as the provider's default_tags to tag like the CDKTF stack does."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k, v in var.tags : can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]{1,128}$", k)) && length(v) <= 256])
    error_message = "tags: keys are 1-128 letters, digits, spaces and _.:/=+-@; values at most 256 characters."
  }

  validation {
    condition     = alltrue([for k, v in var.tags : !startswith(lower(k), "aws:")])
    error_message = "tags: AWS reserves keys starting with \"aws:\" (in any case) for its own tags and refuses to set one; choose another prefix, such as \"team:\"."
  }
}

variable "compliance_aws_config_rule" {
  description = "Declare the AWS Config managed rule S3_DEFAULT_ENCRYPTION_KMS on each migrated bucket, allowing only the migration key, so default encryption that drifts after the migration is reported continuously. Needs an AWS Config configuration recorder in the account and Region (not managed here); hence off by default."
  type        = bool
  default     = false
  # null would mean neither on nor off: it takes the default instead.
  nullable = false
}
