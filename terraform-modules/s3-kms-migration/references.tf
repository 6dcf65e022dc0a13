# Attributes of resources this module creates, gathered in one map so the data files (locals.tf,
# policies.tf) read only variables and locals. The parity tests evaluate those files with
# Terraform, without providers, by replacing this one map with stand-ins.
locals {
  refs = {
    kms_key_arn           = aws_kms_key.this.arn
    inventory_bucket_arn  = aws_s3_bucket.own["inventory"].arn
    inventory_bucket_name = aws_s3_bucket.own["inventory"].bucket
    reports_bucket_arn    = aws_s3_bucket.own["reports"].arn
    reports_bucket_name   = aws_s3_bucket.own["reports"].bucket
    # null when the alarm is disabled; only the alarm's statements read it.
    key_alarm_topic_arn = one(aws_sns_topic.this[*].arn)
  }
}
