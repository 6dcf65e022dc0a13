# Inputs of the policy-document helper: typed statements (policies as data) and source documents.

variable "statements" {
  description = "Policy statements, each with a sid naming its purpose. resources is null only in trust policies."
  type = list(object({
    sid    = string
    effect = string
    principals = optional(list(object({
      type        = string
      identifiers = list(string)
    })), [])
    actions   = list(string)
    resources = optional(list(string))
    conditions = optional(list(object({
      test     = string
      variable = string
      values   = list(string)
    })), [])
  }))

  # The same refusals as validateStatements() in stacks/constructs/policy.ts.
  validation {
    condition     = alltrue([for s in var.statements : can(regex("^[A-Za-z0-9]+$", s.sid))])
    error_message = "statements[*].sid: must be alphanumeric and name the statement's purpose."
  }

  validation {
    condition     = length(distinct([for s in var.statements : s.sid])) == length(var.statements)
    error_message = "statements: a sid is used twice in one policy."
  }

  validation {
    condition     = alltrue([for s in var.statements : length(s.actions) > 0])
    error_message = "statements[*].actions: a statement has no actions."
  }

  validation {
    # A Deny may cover every action of a service (the TLS-only statement); an Allow never does.
    condition = alltrue([for s in var.statements : alltrue([for a in s.actions :
      a != "*" && !(s.effect == "Allow" && strcontains(a, "*"))
    ])])
    error_message = "statements[*].actions: an Allow statement grants a wildcard action."
  }
}

variable "source_policy_documents" {
  description = "Documents whose statements are kept; a statement here with the same sid replaces theirs."
  type        = list(string)
  default     = []
}
