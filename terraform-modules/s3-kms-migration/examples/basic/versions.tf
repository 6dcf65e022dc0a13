# The provider every example uses; the backend and Terraform version are in main.tf. Linked from
# the other examples (one declaration, not a copy per example).
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}
