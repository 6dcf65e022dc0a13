# --- Key alarm (optional) -------------------------------------------------------------------------
# CloudTrail sees DisableKey or ScheduleKeyDeletion on the migration key, EventBridge matches it and
# tells an SNS topic: a disabled key makes every migrated object unreadable, so someone is paged.

resource "aws_sns_topic" "this" {
  count = var.alarm_enabled ? 1 : 0

  name              = local.names.alarm_topic
  kms_master_key_id = aws_kms_key.this.arn
  tags              = local.tags
}

module "key_alarm_topic_policy" {
  source = "./modules/policy-document"
  count  = var.alarm_enabled ? 1 : 0

  statements = local.key_alarm_topic_statements
}

resource "aws_sns_topic_policy" "this" {
  count = var.alarm_enabled ? 1 : 0

  arn    = aws_sns_topic.this[0].arn
  policy = module.key_alarm_topic_policy[0].json
}

resource "aws_cloudwatch_event_rule" "this" {
  count = var.alarm_enabled ? 1 : 0

  name          = local.names.alarm_rule
  description   = "The S3 migration KMS key was disabled or scheduled for deletion"
  event_pattern = jsonencode(local.key_alarm_event_pattern)
  tags          = local.tags
}

resource "aws_cloudwatch_event_target" "this" {
  count = var.alarm_enabled ? 1 : 0

  rule = aws_cloudwatch_event_rule.this[0].name
  arn  = aws_sns_topic.this[0].arn
}

# Keyed by address, so removing one subscriber leaves the others alone.
resource "aws_sns_topic_subscription" "email" {
  for_each = var.alarm_enabled ? toset(var.alarm_emails) : toset([])

  topic_arn = aws_sns_topic.this[0].arn
  protocol  = "email"
  endpoint  = each.value
}
