"""The role a runbook runs with, judged for runbooks.py: the policy of the role the document's
AutomationAssumeRole default names (the AWS::IAM::Policy resources attached to it, and its inline
policies) allows exactly the IAM actions the steps call, no wildcard, no NotAction, and every
write action (any verb but Describe, List and Get) only with a condition; its trust policy lets
only ssm.amazonaws.com assume it, with aws:SourceAccount and aws:SourceArn.
"""
import json

# IAM actions that only read, by their verb; every other action a role allows is a write.
READ_VERBS = ("Describe", "List", "Get")

# Write actions that no condition holds to one step (Service Authorization Reference): the service
# defines no condition key for them, or none but the tags of the very resources they act on, which
# hold them no tighter than naming those resources. The statement must name its resources, no wildcard.
NO_CONDITION_KEYS = {
    "route53:UpdateHealthCheck": "Route 53 defines no condition key for UpdateHealthCheck",
    "rds:FailoverGlobalCluster": "only the tags of the global cluster and its clusters, which the statement names",
    "rds:SwitchoverGlobalCluster": "only the tags of the global cluster and its clusters, which the statement names",
}


def is_write(action):
    """Whether an IAM action (`service:Verb...`) changes something: any verb but Describe, List and Get."""
    return not action.split(":", 1)[-1].startswith(READ_VERBS)


def check_role(doc, resources, raw_parameters):
    """The role the AutomationAssumeRole default names, its policies and trust; its logical ID, or None."""
    default = (raw_parameters.get("AutomationAssumeRole") or {}).get("default")
    role_id = default["Fn::GetAtt"][0] if isinstance(default, dict) and isinstance(default.get("Fn::GetAtt"), list) and default["Fn::GetAtt"][1] == "Arn" else None
    role = resources.get(role_id) if role_id else None
    if role is None or role.get("Type") != "AWS::IAM::Role":
        doc.problem("AutomationAssumeRole", f"its default must be the Arn of a role of this template, got {json.dumps(default)}")
        return
    check_trust(doc, role_id, role)
    if role["Properties"].get("ManagedPolicyArns"):
        doc.problem(f"role {role_id}", "has managed policies, whose actions this check cannot read")
    documents = [p.get("PolicyDocument", {}) for p in role["Properties"].get("Policies", [])]
    documents += [r["Properties"]["PolicyDocument"] for r in resources.values()
                  if r.get("Type") == "AWS::IAM::Policy" and {"Ref": role_id} in r["Properties"].get("Roles", [])]
    allowed = {}
    for policy in documents:
        for statement in policy.get("Statement", []):
            if statement.get("Effect") != "Allow":
                continue
            if "NotAction" in statement:
                doc.problem(f"role {role_id}", "allows NotAction, which grants more than the steps call")
            actions = statement.get("Action", [])
            for action in [actions] if isinstance(actions, str) else actions:
                allowed[action.lower()] = action
                if is_write(action) and not statement.get("Condition") and not names_its_resources(action, statement):
                    doc.problem(f"role {role_id}", f"allows the write action {action} without a condition: any automation of the "
                                "account may run with this role, so a write needs conditions that hold it to what its step does")
    for action in sorted(allowed.values()):
        if "*" in action or "?" in action:
            doc.problem(f"role {role_id}", f"allows the wildcard action {action}; the steps call exactly {', '.join(sorted(doc.actions))}")
    called = {a.lower(): a for a in doc.actions}
    for action in sorted(set(called) - set(allowed)):
        doc.problem(f"role {role_id}", f"does not allow {called[action]}, which a step calls")
    for action in sorted(set(allowed) - set(called)):
        if "*" not in action and "?" not in action:
            doc.problem(f"role {role_id}", f"allows {allowed[action]}, which no step calls")
    return role_id

def names_its_resources(action, statement):
    """Whether `action` is one no condition can hold (NO_CONDITION_KEYS) and the statement names
    its resources, none with a wildcard: the narrowest such a write can be."""
    if action.lower() not in {a.lower() for a in NO_CONDITION_KEYS}:
        return False
    resources = statement.get("Resource", [])
    resources = [resources] if not isinstance(resources, list) else resources
    return bool(resources) and all("*" not in json.dumps(r) for r in resources)


def check_trust(doc, role_id, role):
    """SSM Automation, and only it, assumes the role, and only for this account's executions: each
    statement names aws:SourceAccount and aws:SourceArn (the confused deputy)."""
    statements = role["Properties"].get("AssumeRolePolicyDocument", {}).get("Statement", [])
    trusted = False
    for statement in statements:
        if statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal", {})
        services = principal.get("Service") if isinstance(principal, dict) else None
        services = [services] if isinstance(services, str) else services or []
        if principal != {"Service": "ssm.amazonaws.com"} and not (set(principal) == {"Service"} and services == ["ssm.amazonaws.com"]):
            doc.problem(f"role {role_id}", f"may also be assumed by {json.dumps(principal)}; only ssm.amazonaws.com runs the document")
            continue
        trusted = True
        keys = {key.lower() for values in (statement.get("Condition") or {}).values() for key in values}
        for key in ("aws:SourceAccount", "aws:SourceArn"):
            if key.lower() not in keys:
                doc.problem(f"role {role_id}", f"lets ssm.amazonaws.com assume it without {key}: an automation of another account could run with it")
    if not trusted:
        doc.problem(f"role {role_id}", "is not assumable by ssm.amazonaws.com")
