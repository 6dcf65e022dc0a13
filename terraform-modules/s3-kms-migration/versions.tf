# Terraform and provider versions this module is written and tested against.
terraform {
  # 1.5 brings check blocks, strcontains and the optional() attribute defaults used here.
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.x: the CDKTF stacks pin provider 6.25.0; aws_region exposes `region` from 6.0 on.
      version = "~> 6.0"
    }
  }
}
