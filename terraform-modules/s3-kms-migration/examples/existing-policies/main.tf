# Buckets that already have policies: one read at plan time, one given as a document, one with none.
terraform {
  # 1.10 brings the S3 backend's lock file (use_lockfile); the module alone needs 1.5.
  required_version = ">= 1.10"

  # Remote state, locked by a lock file next to it (no DynamoDB table): a pipeline on a fresh
  # machine reads it, and two runs cannot apply at once. The bucket must exist, versioned.
  backend "s3" {
    bucket       = "acme-terraform-state-444455556666"
    key          = "kms-migration/prod/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region              = "eu-west-1"
  allowed_account_ids = ["444455556666"]
}

module "kms_migration" {
  source = "../.."

  stack                        = "prod"
  region                       = "eu-west-1"
  account_id                   = "444455556666"
  kms_key_alias                = "alias/s3-migration-prod"
  kms_key_administrators       = ["arn:aws:iam::444455556666:role/platform-admin"]
  kms_key_users                = ["arn:aws:iam::444455556666:role/kms-migration-runner", "arn:aws:iam::444455556666:role/app-backend"]
  kms_key_deletion_window_days = 30

  buckets = [
    # "read": the policy is read at plan time; the data source fails if the bucket has none.
    # Its DSSE-KMS versions are copied in place; the role may decrypt the key they are under.
    # SSE-C versions stay, reported: only whoever holds their customer key can rewrite them.
    {
      name            = "acme-prod-uploads"
      existing_policy = "read"
      dsse_kms = {
        migrate         = true
        source_key_arns = ["arn:aws:kms:eu-west-1:444455556666:key/0a1b2c3d-4e5f-4071-8293-a4b5c6d7e8f9"]
      }
      accept_remaining = ["SSE-C"]
    },
    # A document: kept statement by statement, ours merged over it by sid.
    {
      name = "acme-prod-data-lake"
      existing_policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Sid       = "AnalyticsReadsCurated"
          Effect    = "Allow"
          Principal = { AWS = "arn:aws:iam::444455556666:role/analytics" }
          Action    = "s3:GetObject"
          Resource  = "arn:aws:s3:::acme-prod-data-lake/curated/*"
        }]
      })
    },
    # No policy yet; objects carry retention a copy must keep.
    { name = "acme-prod-documents", object_lock = true },
  ]

  newer_noncurrent_versions = 1
  tags                      = { environment = "prod", "cost-center" = "platform" }
}
