# Smallest deployment: one account, two buckets without bucket policies, defaults everywhere else.
terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
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
