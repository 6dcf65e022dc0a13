# Smallest deployment: one account, two buckets without bucket policies, defaults everywhere else.
terraform {
  # 1.10 brings the S3 backend's lock file (use_lockfile); the module alone needs 1.5.
  required_version = ">= 1.10"

  # Remote state, locked by a lock file next to it (no DynamoDB table): a pipeline on a fresh
  # machine reads it, and two runs cannot apply at once. The bucket must exist, versioned.
  backend "s3" {
    bucket       = "acme-terraform-state-111122223333"
    key          = "kms-migration/basic/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}

provider "aws" {
  region = "eu-west-1"
  # Refuse to plan with credentials of another account, as the CDKTF stack's provider does.
  allowed_account_ids = ["111122223333"]
}

module "kms_migration" {
  source = "../.."

  stack         = "basic"
  region        = "eu-west-1"
  account_id    = "111122223333"
  kms_key_alias = "alias/s3-migration-basic"
  kms_key_users = ["arn:aws:iam::111122223333:role/kms-migration-runner"]

  buckets = [
    { name = "acme-basic-uploads" },
    { name = "acme-basic-logs", prefix = "app/" },
  ]

  alarm_emails = ["platform-oncall@example.com"]
  tags         = { environment = "basic" }
}
