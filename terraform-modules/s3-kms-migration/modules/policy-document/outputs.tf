# Output of the policy-document helper: the rendered policy JSON.

output "json" {
  description = "The policy document as JSON, for a policy argument."
  value       = data.aws_iam_policy_document.this.json
}
