#!/usr/bin/env python3
"""Reference implementation of trailscan's KMS audit answers (docs/audit.md).

An independent implementation, written only from docs/audit.md and
docs/counting.md, used by Tests/TrailScanCLITests/AuditReferenceTests.swift to
cross-check `trailscan scan --format csv` with the audit options. Python 3,
standard library only; it loads every selected record into memory, so it is
for test-sized trails, not terabytes.

Usage: kms_audit.py [OPTIONS] PATH...

It walks the same files trailscan walks (*.json.gz and *.json below each
folder, recursively, skipping CloudTrail-Digest/ and CloudTrail-Insight/; a
file named explicitly is always read) and prints on stdout the CSV that
`trailscan scan PATH... --format csv OPTIONS` prints. Options (same spellings
as trailscan; list options take comma lists and may be repeated):

  --report usage|idle|lifecycle|aliases|blind-spots|gaps   (default usage)
  --by DIM[,DIM...]   key,event,principal,identity-type,caller-account,
                      owner-account,region,error-code,day,via,role,resource,
                      resource-service
                      (default key,event)
  --times             add first_seen,last_seen to usage rows
  --idle-days N       (default 90)
  --inventory FILE    with --report idle: keys from `aws kms list-keys` /
                      `describe-key` JSON or an AWS Config snapshot /
                      select-resource-config of AWS::KMS::Key
  --no-resolve-aliases, --no-dedup
  --source SRC        (default kms.amazonaws.com)
  --since T, --until T   T = YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ
  --account A, --region R, --event-name N, --key K, --principal P
  --errors-only, --read-only, --no-read-only, --cross-account
  --format csv, --quiet, -q   accepted and ignored (csv is the only format)

A one-line summary goes to stderr; files that fail to parse are named on
stderr and not counted (exit status 1 then, as trailscan).

`kms_audit.py --batch` (for the tests) reads a JSON array of argument lists
on stdin and writes a JSON array of {"status", "stdout", "stderr"}, parsing
each file once for all of them.
"""
import argparse
import bisect
import calendar
import gzip
import json
import os
import re
import sys
import time

# docs/counting.md's key attribution (rules 1-4) and its helpers are the ones of the
# engine-contract peer in this folder, written independently of trailscan too.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kms_counts import KEY_ARN, keys_of, partition, s  # noqa: E402

KMS = "kms.amazonaws.com"
ALIAS_ARN = re.compile(r"^arn:[^:]+:kms:[^:]*:[^:]*:alias/.+", re.S)
SKIPPED = {"CloudTrail-Digest", "CloudTrail-Insight"}

INTERNAL_OPS = {"DeleteExpiredKeyMaterial", "DeleteKey", "RotateKey", "SynchronizeMultiRegionKey"}
CRYPTO_OPS = {
    "Encrypt", "Decrypt", "ReEncrypt", "GenerateDataKey", "GenerateDataKeyWithoutPlaintext",
    "GenerateDataKeyPair", "GenerateDataKeyPairWithoutPlaintext", "Sign", "Verify",
    "GenerateMac", "VerifyMac", "DeriveSharedSecret",
}
LIFECYCLE_OPS = {
    "ScheduleKeyDeletion", "CancelKeyDeletion", "DeleteKey", "DisableKey", "EnableKey", "PutKeyPolicy",
    "CreateKey", "CreateGrant", "RetireGrant", "RevokeGrant", "DisableKeyRotation", "EnableKeyRotation",
    "RotateKeyOnDemand", "ImportKeyMaterial", "DeleteImportedKeyMaterial", "CreateAlias", "UpdateAlias",
    "DeleteAlias", "ReplicateKey", "UpdatePrimaryRegion",
}
ALIAS_OPS = {"CreateAlias", "UpdateAlias", "DeleteAlias"}
FEDERATED = {"FederatedUser", "SAMLUser", "WebIdentityUser"}

DIMENSIONS = {
    "key": "key",
    "event": "event_name",
    "principal": "principal",
    "identity-type": "identity_type",
    "caller-account": "caller_account",
    "owner-account": "owner_account",
    "region": "region",
    "error-code": "error_code",
    "day": "day",
    "via": "via",
    "role": "role",
    "resource": "resource",
    "resource-service": "resource_service",
}
# Encryption-context keys that name the resource a call protects, most
# specific first (docs/audit.md, "Resources").
RESOURCE_CONTEXT_KEYS = [
    "aws:s3:arn", "aws:dynamodb:tableName", "SecretARN", "PARAMETER_ARN", "aws:lambda:FunctionArn", "aws:ebs:id",
    "aws:rds:db-id", "aws:logs:arn", "aws:sqs:arn", "aws:sns:topicArn", "aws:cloudtrail:arn",
    "aws:elasticfilesystem:filesystem:id",
]
REPORTS = ["usage", "idle", "lifecycle", "aliases", "blind-spots", "gaps"]

# --- small helpers -----------------------------------------------------------


def d(value):
    """A JSON object value, else an empty dict."""
    return value if isinstance(value, dict) else {}


TIME_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?Z"
    r"| ([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?)\Z")
DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")


def to_epoch(y, mo, dd, h, mi, se):
    """Whole seconds since 1970 (UTC), or None for an impossible date or time."""
    import datetime
    try:
        datetime.datetime(y, mo, dd, h, mi, se)
    except ValueError:
        return None
    return calendar.timegm((y, mo, dd, h, mi, se, 0, 0, 0))


def parse_time(value):
    """A record's eventTime as whole UTC seconds, or None ("no time")."""
    if not isinstance(value, str):
        return None
    m = TIME_RE.match(value)
    if not m:
        return None
    g = m.groups()
    y, mo, dd = int(g[0]), int(g[1]), int(g[2])
    if g[3] is not None:
        h, mi, se = int(g[3]), int(g[4]), int(g[5])
    else:
        h, mi, se = int(g[6]), int(g[7]), int(g[8])
    return to_epoch(y, mo, dd, h, mi, se)


def parse_option_time(value):
    """--since/--until: a plain date (its midnight UTC) or an ISO 8601 UTC time."""
    m = DATE_RE.match(value)
    t = to_epoch(int(m[1]), int(m[2]), int(m[3]), 0, 0, 0) if m else parse_time(value)
    if t is None:
        usage_error(f"'{value}' is not a date (YYYY-MM-DD) or UTC time (YYYY-MM-DDTHH:MM:SSZ)")
    return t


def fmt_time(t):
    return "" if t is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def fmt_day(t):
    return "" if t is None else time.strftime("%Y-%m-%d", time.gmtime(t))


def record_account(record):
    """recipientAccountId, else userIdentity.accountId (docs/counting.md rule 3)."""
    account = s(record.get("recipientAccountId"))
    if account is None:
        account = s(d(record.get("userIdentity")).get("accountId"))
    return account or ""


def normalize(value, record):
    """A request key field, normalized as in docs/counting.md rule 3."""
    if value.startswith("arn:"):
        return value
    region = s(record.get("awsRegion")) or ""
    account = record_account(record)
    if value.startswith("alias/"):
        return f"arn:{partition(region)}:kms:{region}:{account}:{value}"
    return f"arn:{partition(region)}:kms:{region}:{account}:key/{value}"


def owner_of(key):
    """The account field of a key (or alias) ARN; empty for no key."""
    parts = key.split(":", 5)
    return parts[4] if len(parts) == 6 and parts[0] == "arn" else ""


ACCOUNT_RE = re.compile(r"[0-9]{12}\Z")


def account_named(principal):
    """The AWS account a principal names (a 12-digit id or an ARN's account field), else None."""
    if not isinstance(principal, str):
        return None
    if ACCOUNT_RE.match(principal):
        return principal
    account = owner_of(principal)
    return account if ACCOUNT_RE.match(account) else None


def policy_flags(text, owner):
    """Flags of a key policy (a JSON string): principals * or outside the owner's account."""
    try:
        policy = json.loads(text)
    except ValueError:
        return ["policy-unreadable"]
    if not isinstance(policy, dict):
        return ["policy-unreadable"]
    statements = policy.get("Statement")
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        statements = []
    everyone = False
    accounts = []
    for st in statements:
        if not isinstance(st, dict) or st.get("Effect") != "Allow":
            continue
        if "NotPrincipal" in st:
            everyone = True
        p = st.get("Principal")
        if p is None:
            continue
        if p == "*":
            everyone = True
            continue
        aws = d(p).get("AWS")
        for v in (aws if isinstance(aws, list) else [aws]):
            if v == "*":
                everyone = True
                continue
            a = account_named(v)
            if a is not None and a not in accounts:
                accounts.append(a)
    flags = ["policy-principal-*"] if everyone else []
    outside = [a for a in accounts if owner and a != owner]
    if outside:
        flags.append("policy-principal-outside-account=" + "|".join(outside))
    return flags


def lifecycle_detail(name, request, owner):
    """(detail, flags) of a lifecycle call, as docs/audit.md "Lifecycle" lists them."""
    detail, flags = [], []

    def scalar(member):
        v = request.get(member)
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, str):
            return v
        if isinstance(v, (int, float)):
            f = float(v)
            if f != f or f in (float("inf"), float("-inf")):
                return None
            return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)
        return None

    def add(label, member):
        v = scalar(member)
        if v:
            detail.append(f"{label}={v}")

    def outside(principal):
        a = account_named(principal)
        return bool(owner) and a is not None and a != owner

    if name == "CreateGrant":
        grantee = s(request.get("granteePrincipal")) or ""
        retiring = s(request.get("retiringPrincipal")) or ""
        if grantee:
            detail.append("grantee=" + grantee)
        if retiring:
            detail.append("retiring=" + retiring)
        ops = [o for o in (request.get("operations") or []) if isinstance(o, str)] \
            if isinstance(request.get("operations"), list) else []
        if ops:
            detail.append("operations=" + "|".join(ops))
        if outside(grantee):
            flags.append("grantee-outside-account")
        if outside(retiring):
            flags.append("retiring-principal-outside-account")
    elif name in ("RetireGrant", "RevokeGrant"):
        add("grantId", "grantId")
    elif name == "EnableKeyRotation":
        add("rotationPeriodInDays", "rotationPeriodInDays")
    elif name == "ScheduleKeyDeletion":
        add("pendingWindowInDays", "pendingWindowInDays")
    elif name == "ImportKeyMaterial":
        add("expirationModel", "expirationModel")
        add("validTo", "validTo")
    elif name in ALIAS_OPS:
        add("alias", "aliasName")
    elif name == "UpdatePrimaryRegion":
        add("primaryRegion", "primaryRegion")
    elif name in ("ReplicateKey", "CreateKey", "PutKeyPolicy"):
        if name == "ReplicateKey":
            add("replicaRegion", "replicaRegion")
        if name == "CreateKey":
            for member in ("keySpec", "keyUsage", "origin"):
                add(member, member)
            if request.get("multiRegion") is True:
                detail.append("multiRegion=true")
        bypass = request.get("bypassPolicyLockoutSafetyCheck")
        if bypass is True or bypass == "true":
            flags.append("bypass-policy-lockout-safety-check")
        if isinstance(request.get("policy"), str):
            flags += policy_flags(request["policy"], owner)
    return "; ".join(detail), "; ".join(flags)


def principal_of(record):
    """(principal, identity type, via) as docs/audit.md defines them."""
    identity = d(record.get("userIdentity"))
    kind = s(identity.get("type"))
    invoked = s(identity.get("invokedBy")) or ""
    name = s(record.get("eventName")) or ""
    if (name in INTERNAL_OPS and kind is None) or invoked == "AWS Internal":
        return "AWS Internal", "Internal", ""
    if kind == "AWSService" and invoked:
        principal, via = invoked, ""
    else:
        principal, via = s(identity.get("arn")) or s(identity.get("accountId")) or "", invoked
    if kind is None:
        kind = ""
    elif kind in FEDERATED:
        kind = "Federated"
    return principal, kind, via


def role_of(record):
    """userIdentity.sessionContext.sessionIssuer.arn, or ""."""
    issuer = d(d(d(record.get("userIdentity")).get("sessionContext")).get("sessionIssuer"))
    return s(issuer.get("arn")) or ""


def resource_of(record):
    """The resource the encryption context names: ARN, or name=value, or ""."""
    context = d(d(record.get("requestParameters")).get("encryptionContext"))
    for name in RESOURCE_CONTEXT_KEYS:
        value = context.get(name)
        if isinstance(value, str):
            return value if value.startswith("arn:") else f"{name}={value}"
    return ""


def service_of_resource(resource):
    """The service that owns a resource as resource_of gives it."""
    if resource.startswith("arn:"):
        fields = resource.split(":", 3)
        return fields[2] if len(fields) >= 3 else ""
    if resource.startswith("aws:"):
        fields = resource.split(":", 3)
        if len(fields) >= 3 and "=" not in fields[1]:
            return fields[1]
    if resource.startswith("SecretARN="):
        return "secretsmanager"
    if resource.startswith("PARAMETER_ARN="):
        return "ssm"
    return ""


def principal_matches(wanted, principal, account):
    """--principal: a principal, an account id, or a role ARN (its sessions)."""
    for value in wanted:
        if value == principal or (len(value) == 12 and value.isdigit() and value == account):
            return True
        parts = value.split(":", 5)
        if len(parts) == 6 and parts[0] == "arn" and parts[2] == "iam" and parts[5].startswith("role/"):
            prefix = f"arn:{parts[1]}:sts::{parts[4]}:assumed-role/{parts[5].split('/')[-1]}/"
            if principal.startswith(prefix):
                return True
    return False


def is_error(record):
    code = record.get("errorCode")
    return isinstance(code, str) and code != ""


def read_only_of(record):
    v = record.get("readOnly")
    # docs/audit.md: only the JSON literals count (CloudTrail writes a boolean).
    if v is True:
        return True
    if v is False:
        return False
    return None


def csv_field(value):
    value = str(value)
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def render_csv(header, rows):
    lines = [",".join(csv_field(v) for v in header)]
    lines += [",".join(csv_field(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass")


def byte_key(values):
    return tuple(str(v).encode("utf-8", "surrogatepass") for v in values)


class UsageError(Exception):
    pass


def usage_error(message):
    raise UsageError(f"kms_audit.py: {message}.")


# --- walking -------------------------------------------------------------------


def layout_of(path):
    """(account, region, 'YYYY-MM-DD') of a file in the S3 layout
    AWSLogs/[o-id/]<account>/CloudTrail/<region>/YYYY/MM/DD/<file>, else None."""
    parts = os.path.abspath(path).split(os.sep)
    for i, part in enumerate(parts):
        if part != "AWSLogs":
            continue
        rest = parts[i + 1:]
        if len(rest) >= 3 and rest[1] == "CloudTrail":
            rest = rest[0:1] + rest[2:]
        elif len(rest) >= 4 and rest[0].startswith("o-") and rest[2] == "CloudTrail":
            rest = rest[1:2] + rest[3:]
        else:
            continue
        # rest = account, region, YYYY, MM, DD, file
        if len(rest) != 6:
            continue
        y, m, dd = rest[2], rest[3], rest[4]
        if not (re.fullmatch(r"[0-9]{4}", y) and re.fullmatch(r"[0-9]{2}", m) and re.fullmatch(r"[0-9]{2}", dd)):
            continue
        if to_epoch(int(y), int(m), int(dd), 0, 0, 0) is None:
            continue
        return rest[0], rest[1], f"{y}-{m}-{dd}"
    return None


def trail_prefix_of(path):
    """The trail prefix of a file in the S3 layout: its absolute path up to
    the account folder (.../AWSLogs, or .../AWSLogs/o-id for an
    organization trail)."""
    parts = os.path.abspath(path).split(os.sep)
    i = len(parts) - 1 - parts[::-1].index("AWSLogs")
    if parts[i + 1].startswith("o-") and i + 3 < len(parts) and parts[i + 3] == "CloudTrail":
        return os.sep.join(parts[:i + 2])
    return os.sep.join(parts[:i + 1])


def files_under(paths, pruned):
    """Log files to read, in a stable order; a file reached twice is read once.
    `pruned(path)` is True for a walked file the folder pruning excludes."""
    seen = set()
    for root in paths:
        if os.path.isfile(root):
            real = os.path.realpath(root)
            if real not in seen:
                seen.add(real)
                yield root
            continue
        if not os.path.isdir(root):
            usage_error(f"no such file or folder: {root}")
        for folder, dirs, names in os.walk(root, followlinks=True):
            dirs.sort()
            if SKIPPED & set(os.path.relpath(folder, root).split(os.sep)):
                dirs[:] = []
                continue
            for name in sorted(names):
                if not (name.endswith(".json.gz") or name.endswith(".json")):
                    continue
                path = os.path.join(folder, name)
                real = os.path.realpath(path)
                if real in seen or pruned(path):
                    continue
                seen.add(real)
                yield path


# Parsed files by path, kept across the runs of one --batch.
CACHE = None


def records_of(path):
    if CACHE is not None:
        if path not in CACHE:
            try:
                CACHE[path] = read_records(path)
            except Exception as e:
                CACHE[path] = e
        if isinstance(CACHE[path], Exception):
            raise CACHE[path]
        return CACHE[path]
    return read_records(path)


def read_records(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:3] == b"\xef\xbb\xbf":
        data = data[3:]
    doc = json.loads(data)
    records = doc["Records"]
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise ValueError("Records is not an array of objects")
    return records


# --- side facts: alias changes and event selectors -------------------------------


def blind_spots(selector_changes):
    """Rows (trail, account, region, from, until, missing, cause) of the
    windows in which a trail did not log some KMS events (docs/audit.md)."""
    out = []
    for (trail, account, region), changes in selector_changes.items():
        def restores(change):
            cause, reads, writes = change[1]
            return cause == "StartLogging" or (cause == "PutEventSelectors" and reads and writes)
        # Same second: changes that restore logging first, then by cause name.
        changes = sorted(changes, key=lambda ch: (ch[0], 0 if restores(ch) else 1, ch[1][0].encode()))
        logging, reads, writes = True, True, True
        opened = None  # (from, missing, cause)
        i = 0
        while i < len(changes):
            t = changes[i][0]
            cause = None
            while i < len(changes) and changes[i][0] == t:
                name, r, w = changes[i][1]
                if name == "PutEventSelectors":
                    reads, writes = r, w
                elif name in ("StopLogging", "DeleteTrail"):
                    logging = False
                else:
                    logging = True
                if not restores(changes[i]):
                    cause = name
                i += 1
            lr, lw = logging and reads, logging and writes
            missing = None if (lr and lw) else "all" if not (lr or lw) else "write" if lr else "read-only"
            if opened is not None and opened[1] == missing:
                continue
            if opened is not None:
                out.append([trail, account, region, fmt_time(opened[0]), fmt_time(t), opened[1], opened[2]])
                opened = None
            if missing is not None:
                opened = (t, missing, cause or "PutEventSelectors")
        if opened is not None:
            out.append([trail, account, region, fmt_time(opened[0]), "", opened[1], opened[2]])
    return out


def alias_observation_of(record, t):
    """(alias ARN, key ARN) when requestParameters.keyId names an alias and
    resources[] names exactly one key ARN (else responseElements.keyId is
    one) of the alias's own partition, region and account, with a time; else
    None (docs/audit.md, "Alias resolution")."""
    if t is None:
        return None
    requested = s(d(record.get("requestParameters")).get("keyId"))
    if not requested or not (requested.startswith("alias/") and len(requested) > 6 or ALIAS_ARN.match(requested)):
        return None
    found = []
    resources = record.get("resources")
    if isinstance(resources, list):
        for r in resources:
            arn = s(r.get("ARN")) if isinstance(r, dict) else None
            if arn is not None and KEY_ARN.match(arn) and arn not in found:
                found.append(arn)
    if not found:
        k = s(d(record.get("responseElements")).get("keyId"))
        if k is not None and KEY_ARN.match(k):
            found = [k]
    if len(found) != 1:
        return None
    alias = normalize(requested, record)
    key = found[0]
    if alias.split(":", 5)[:5] != key.split(":", 5)[:5]:
        return None
    return alias, key


def alias_change_of(record, t):
    """(alias ARN, target key or None for DeleteAlias) of a successful alias
    change with a time, else None."""
    name = s(record.get("eventName"))
    if name not in ALIAS_OPS or is_error(record) or t is None:
        return None
    request = d(record.get("requestParameters"))
    resources = record.get("resources")
    resources = [r for r in resources if isinstance(r, dict)] if isinstance(resources, list) else []
    alias_name = s(request.get("aliasName"))
    if alias_name:
        alias = normalize(alias_name, record)
    else:
        alias = next((s(r.get("ARN")) for r in resources if ALIAS_ARN.match(s(r.get("ARN")) or "")), None)
    if not alias:
        return None
    if name == "DeleteAlias":
        return alias, None
    target = next((s(r.get("ARN")) for r in resources if KEY_ARN.match(s(r.get("ARN")) or "")), None)
    if target is None:
        v = s(request.get("targetKeyId"))
        target = normalize(v, record) if v else None
    if target is None:
        return None  # a Create/Update that names no key maps nothing
    return alias, target


def eventsource_admits_kms(condition):
    """One eventSource field selector admits kms.amazonaws.com."""
    def values(name):
        v = condition.get(name)
        return [x for x in v if isinstance(x, str)] if isinstance(v, list) else None

    eq = values("equals")
    if eq is not None and KMS not in eq:
        return False
    ne = values("notEquals")
    if ne is not None and KMS in ne:
        return False
    sw = values("startsWith")
    if sw is not None and not any(KMS.startswith(x) for x in sw):
        return False
    ew = values("endsWith")
    if ew is not None and not any(KMS.endswith(x) for x in ew):
        return False
    nsw = values("notStartsWith")
    if nsw is not None and any(KMS.startswith(x) for x in nsw):
        return False
    new = values("notEndsWith")
    if new is not None and any(KMS.endswith(x) for x in new):
        return False
    return True


def selectors_log_kms(request):
    """(logs read-only KMS management events, logs write ones)."""
    reads = writes = False
    basic = request.get("eventSelectors")
    for sel in basic if isinstance(basic, list) else []:
        if not isinstance(sel, dict):
            continue
        if sel.get("includeManagementEvents") is False:
            continue
        excluded = sel.get("excludeManagementEventSources")
        if isinstance(excluded, list) and KMS in excluded:
            continue
        kind = sel.get("readWriteType")
        reads = reads or kind != "WriteOnly"
        writes = writes or kind != "ReadOnly"
    advanced = request.get("advancedEventSelectors")
    for sel in advanced if isinstance(advanced, list) else []:
        fields = d(sel).get("fieldSelectors")
        fields = [f for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []
        management = any(
            f.get("field") == "eventCategory" and isinstance(f.get("equals"), list) and "Management" in f["equals"]
            for f in fields)
        if not management or not all(eventsource_admits_kms(f) for f in fields if f.get("field") == "eventSource"):
            continue
        r = w = True
        for f in fields:
            if f.get("field") != "readOnly":
                continue
            eq = [x for x in f.get("equals", []) if isinstance(x, str)] if isinstance(f.get("equals"), list) else []
            ne = [x for x in f.get("notEquals", []) if isinstance(x, str)] if isinstance(f.get("notEquals"), list) else []
            if eq:
                r, w = r and "true" in eq, w and "false" in eq
            if "true" in ne:
                r = False
            if "false" in ne:
                w = False
        reads, writes = reads or r, writes or w
    return reads, writes


TRAIL_CHANGES = {"PutEventSelectors", "StopLogging", "StartLogging", "DeleteTrail"}


def trail_name(value):
    value = s(value)
    if not value:
        return None
    if value.startswith("arn:") and ":trail/" in value:
        return value.split(":trail/", 1)[1]
    return value


def selector_change_of(record, t):
    """((trail, account, region), (cause, logs reads, logs writes)) of a
    successful PutEventSelectors, StopLogging, StartLogging or DeleteTrail
    with a time, else None."""
    name = s(record.get("eventName"))
    if s(record.get("eventSource")) != "cloudtrail.amazonaws.com" or name not in TRAIL_CHANGES:
        return None
    if is_error(record) or t is None:
        return None
    request = d(record.get("requestParameters"))
    trail = trail_name(request.get("trailName" if name == "PutEventSelectors" else "name"))
    if not trail:
        return None
    account = s(record.get("recipientAccountId")) or ""
    region = s(record.get("awsRegion")) or ""
    reads, writes = selectors_log_kms(request) if name == "PutEventSelectors" else (True, True)
    return (trail, account, region), (name, reads, writes)


# --- the scan ----------------------------------------------------------------------


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"kms_audit.py: {message}.")


def split_list(values):
    out = []
    for v in values or []:
        out += [x for x in v.split(",") if x != ""]
    return out


def parse_args(argv):
    ap = ArgumentParser(prog="kms_audit.py", description="Reference of trailscan's KMS audit answers.")
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--report", choices=REPORTS, default="usage")
    ap.add_argument("--by", action="append")
    ap.add_argument("--times", action="store_true")
    ap.add_argument("--idle-days", type=int, default=90)
    ap.add_argument("--inventory")
    ap.add_argument("--no-resolve-aliases", action="store_true")
    ap.add_argument("--no-dedup", action="store_true")
    ap.add_argument("--source", default=KMS)
    ap.add_argument("--since")
    ap.add_argument("--until")
    ap.add_argument("--account", action="append")
    ap.add_argument("--region", action="append")
    ap.add_argument("--event-name", action="append")
    ap.add_argument("--key", action="append")
    ap.add_argument("--principal", action="append")
    ap.add_argument("--errors-only", action="store_true")
    ap.add_argument("--read-only", action="store_true")
    ap.add_argument("--no-read-only", action="store_true")
    ap.add_argument("--cross-account", action="store_true")
    ap.add_argument("-f", "--format", choices=["csv"], default="csv")
    ap.add_argument("-q", "--quiet", action="store_true")
    args = ap.parse_args(argv)
    # A dimension named twice is one column (as trailscan; docs/audit.md is silent).
    args.by = list(dict.fromkeys(split_list(args.by))) or ["key", "event"]
    for dim in args.by:
        if dim not in DIMENSIONS:
            usage_error(f"unknown --by dimension '{dim}' (one of {', '.join(DIMENSIONS)})")
    if args.idle_days < 0:
        usage_error("--idle-days must be 0 or more")
    if args.inventory is not None and args.report != "idle":
        usage_error(f"--inventory applies to --report idle only (this is --report {args.report})")
    args.inventory = read_inventory(args.inventory) if args.inventory is not None else None
    args.since = parse_option_time(args.since) if args.since is not None else None
    args.until = parse_option_time(args.until) if args.until is not None else None
    for name in ("account", "region", "event_name", "key", "principal"):
        values = split_list(getattr(args, name))
        setattr(args, name, set(values) if values else None)
    return args


def read_inventory(path):
    """{key ARN: (KeyManager, KeyState)} from an inventory file (docs/audit.md, "Idle keys")."""
    try:
        with open(path, "rb") as f:
            doc = json.loads(f.read())
    except OSError as e:
        usage_error(f"--inventory: cannot read {path}: {e.strerror}")
    except ValueError:
        usage_error(f"--inventory {path}: not valid JSON")
    keys = {}

    def get(obj, name):
        if not isinstance(obj, dict):
            return None
        if name in obj:
            return obj[name]
        other = (name[0].lower() if name[0].isupper() else name[0].upper()) + name[1:]
        return obj.get(other)

    def text(obj, name):
        v = get(obj, name)
        return v if isinstance(v, str) else None

    def add(arn, manager, state):
        if not isinstance(arn, str) or KEY_ARN.match(arn) is None:
            usage_error(f"--inventory {path}: an entry has no key ARN")
        old = keys.get(arn, ("", ""))
        keys[arn] = (manager or old[0], state or old[1])

    def metadata(m):
        if not isinstance(m, dict):
            usage_error(f"--inventory {path}: an entry is not an object")
        add(text(m, "Arn") or text(m, "KeyArn"), text(m, "KeyManager"), text(m, "KeyState"))

    def item(it):
        if isinstance(it, str):
            try:
                it = json.loads(it)
            except ValueError:
                usage_error(f"--inventory {path}: a Results entry is not JSON")
        if not isinstance(it, dict):
            usage_error(f"--inventory {path}: a configuration item is not an object")
        rtype = text(it, "resourceType")
        if rtype is not None and rtype != "AWS::KMS::Key":
            return
        conf = get(it, "configuration")
        if isinstance(conf, str):
            try:
                conf = json.loads(conf)
            except ValueError:
                usage_error(f"--inventory {path}: a configuration is not JSON")
        conf = conf if isinstance(conf, dict) else {}
        arn = text(conf, "Arn") or text(it, "ARN") or text(it, "Arn")
        add(arn, text(conf, "KeyManager"), text(conf, "KeyState"))

    def walk(value):
        found = False
        if isinstance(value, list):
            for el in value:
                if not isinstance(el, dict):
                    usage_error(f"--inventory {path}: an element of the top-level array is not an object")
                if any(get(el, n) is not None for n in ("KeyMetadata", "Keys", "configurationItems")):
                    walk(el)
                elif get(el, "resourceType") is not None:
                    item(el)
                else:
                    metadata(el)
            return True
        if not isinstance(value, dict):
            return False
        if get(value, "Keys") is not None:
            found = True
            if not isinstance(get(value, "Keys"), list):
                usage_error(f"--inventory {path}: Keys is not an array")
            for m in get(value, "Keys"):
                metadata(m)
        meta = get(value, "KeyMetadata")
        if meta is not None:
            found = True
            for m in (meta if isinstance(meta, list) else [meta]):
                metadata(m)
        for name in ("configurationItems", "Results"):
            items = get(value, name)
            if items is not None:
                found = True
                if not isinstance(items, list):
                    usage_error(f"--inventory {path}: {name} is not an array")
                for it in items:
                    item(it)
        return found

    if not walk(doc):
        usage_error(f"--inventory {path}: not a key inventory")
    return keys


class Call:
    """One selected record, reduced to what the reports need."""
    __slots__ = ("t", "name", "keys", "principal", "identity_type", "via", "role", "resource", "caller", "region",
                 "error", "code", "shared", "recipient", "folded", "request", "account")


def run(argv):
    """Runs one report: (exit status, CSV bytes, stderr text)."""
    args = parse_args(argv)
    err = []
    since_day = fmt_day(args.since) if args.since is not None else None

    def pruned(path):
        layout = layout_of(path)
        if layout is None:
            return False
        account, region, day = layout
        if args.account is not None and account not in args.account:
            return True
        if args.region is not None and region not in args.region:
            return True
        if since_day is not None and day < since_day:
            return True
        return False

    # Duplicate deliveries (docs/audit.md): an (account, region, day) of
    # the S3 layout with files under two or more trail prefixes (the path
    # before the account folder: .../AWSLogs or .../AWSLogs/o-id) may hold
    # copies of one event; there, each eventID is read once.
    paths = list(files_under(args.paths, pruned))
    trails_of_group = {}
    for path in paths:
        layout = layout_of(path)
        if layout is not None:
            trails_of_group.setdefault(layout, set()).add(trail_prefix_of(path))
    seen_ids = {}           # multi-trail (account, region, day) -> eventIDs read
    copies_folded = 0

    calls = []
    alias_changes = {}      # alias ARN -> [(t, kind, target)]
    alias_seen = {}         # (alias ARN, key ARN) -> [first, last]: calls that showed the mapping
    selector_changes = {}   # (trail, account, region) -> [(t, (cause, logs reads, logs writes))]
    log_days = {}           # (account, region) -> set of days with a file
    end = None
    files = records = failed = 0

    for path in paths:
        layout = layout_of(path)
        try:
            recs = records_of(path)
        except Exception as e:  # a failed file: reported, not counted
            failed += 1
            err.append(f"kms_audit.py: {path}: {e}")
            continue
        files += 1
        if layout is not None:
            log_days.setdefault((layout[0], layout[1]), set()).add(layout[2])
        seen = None
        if not args.no_dedup and layout is not None and len(trails_of_group[layout]) > 1:
            seen = seen_ids.setdefault(layout, set())
        for r in recs:
            records += 1
            t = parse_time(r.get("eventTime"))
            source = s(r.get("eventSource"))
            event_id = s(r.get("eventID"))
            if seen is not None and event_id and source in (KMS, args.source, "cloudtrail.amazonaws.com"):
                if event_id in seen:
                    copies_folded += 1
                    continue
                seen.add(event_id)
            if source == KMS:
                change = alias_change_of(r, t)
                if change is not None:
                    alias, target = change
                    alias_changes.setdefault(alias, []).append((t, 1 if target is None else 0, target or ""))
                if args.source == KMS:
                    observed = alias_observation_of(r, t)
                    if observed is not None:
                        span = alias_seen.setdefault(observed, [t, t])
                        span[0], span[1] = min(span[0], t), max(span[1], t)
            change = selector_change_of(r, t)
            if change is not None:
                trail, logs = change
                selector_changes.setdefault(trail, []).append((t, logs))

            # Record filters.
            if source != args.source:
                continue
            if args.since is not None and (t is None or t < args.since):
                continue
            if args.until is not None and (t is None or t >= args.until):
                continue
            if args.account is not None and record_account(r) not in args.account:
                continue
            if args.region is not None and (s(r.get("awsRegion")) or "") not in args.region:
                continue
            name = s(r.get("eventName")) or ""
            if args.event_name is not None and name not in args.event_name:
                continue
            principal, identity_type, via_service = principal_of(r)
            caller_account = s(d(r.get("userIdentity")).get("accountId")) or ""
            if args.principal is not None and not principal_matches(args.principal, principal, caller_account):
                continue
            error = is_error(r)
            if args.errors_only and not error:
                continue
            if args.read_only and read_only_of(r) is not True:
                continue
            if args.no_read_only and read_only_of(r) is not False:
                continue

            c = Call()
            c.t = t
            c.name = name
            c.keys = keys_of(r) if source == KMS else [""]
            c.principal, c.identity_type, c.via = principal, identity_type, via_service
            c.role, c.resource = role_of(r), resource_of(r)
            c.caller = s(d(r.get("userIdentity")).get("accountId")) or ""
            c.region = s(r.get("awsRegion")) or ""
            c.error = error
            c.code = s(r.get("errorCode")) or ""
            c.shared = s(r.get("sharedEventID")) or "" if source == KMS else ""
            c.recipient = s(r.get("recipientAccountId")) or ""
            c.folded = False
            c.request = d(r.get("requestParameters")) if name in LIFECYCLE_OPS else {}
            c.account = record_account(r)
            calls.append(c)
            if t is not None and (end is None or t > end):
                end = t

    # Alias changes in order; resolution.
    for changes in alias_changes.values():
        changes.sort(key=lambda ch: (ch[0], ch[1], ch[2].encode()))
    change_times = {alias: [ch[0] for ch in changes] for alias, changes in alias_changes.items()}

    # Mappings calls showed, before each alias's first change (docs/audit.md
    # "Alias resolution"): alias -> [(first, key, last)] sorted by first, key.
    learned = {}
    for (alias, key), (first, last) in alias_seen.items():
        changes = alias_changes.get(alias)
        if changes and first >= changes[0][0]:
            continue
        learned.setdefault(alias, []).append((first, key, last))
    for spans in learned.values():
        spans.sort(key=lambda x: (x[0], x[1].encode()))

    def learned_mapping(alias, t):
        spans = learned.get(alias)
        if not spans:
            return None
        holding = [i for i, (a, _, b) in enumerate(spans) if a <= t <= b]
        if holding:
            i = max(holding, key=lambda i: (spans[i][0], -i))  # the latest to start; first in order on ties
        else:
            before = [i for i, (_, _, b) in enumerate(spans) if b < t]
            if before:
                i = max(before, key=lambda i: (spans[i][2], -i))
            else:
                after = [i for i, (a, _, _) in enumerate(spans) if a > t]
                if not after:
                    return None
                i = after[0]
        return spans[i][1], -1 - i

    def resolve(alias, t):
        """(key, interval index) the alias pointed to at t, else None."""
        if t is None:
            return None
        if alias in alias_changes:
            i = bisect.bisect_right(change_times[alias], t) - 1
            if i >= 0:
                _, kind, target = alias_changes[alias][i]
                return (target, i) if kind == 0 else None
        return learned_mapping(alias, t)

    def current_target(alias):
        if alias in alias_changes:
            _, kind, target = alias_changes[alias][-1]
            return target if kind == 0 else None
        spans = learned.get(alias)
        if not spans:
            return None
        return min(spans, key=lambda x: (-x[2], x[1].encode()))[1]

    def first_key(c):
        key = c.keys[0]
        if not args.no_resolve_aliases and ALIAS_ARN.match(key):
            resolved = resolve(key, c.t)
            if resolved is not None:
                key = resolved[0]
        return key

    # Duplicate cross-account copies.
    folded = 0
    if not args.no_dedup:
        groups = {}
        for c in calls:
            if c.shared:
                groups.setdefault(c.shared, []).append(c)
        for group in groups.values():
            recipients = {c.recipient for c in group}
            if len(recipients) < 2:
                continue
            # Keep the caller's copy (its recipient is its own caller
            # account: it carries the caller's whole identity); else the
            # owner's (its recipient is the owner account of its first key,
            # after alias resolution); else the lowest recipient.
            callers = sorted({c.recipient for c in group if c.caller and c.recipient == c.caller},
                             key=lambda a: a.encode())
            owners = sorted({c.recipient for c in group if c.recipient == owner_of(first_key(c))},
                            key=lambda a: a.encode())
            keep = (callers or owners or [min(recipients, key=lambda a: a.encode())])[0]
            for c in group:
                if c.recipient != keep:
                    c.folded = True
                    folded += 1

    key_specs = args.key
    known_aliases = set(alias_changes) | set(learned)
    named_aliases = set()  # alias ARNs --key names: calls through them pass whatever key they reached
    if key_specs is not None:
        for spec in key_specs:
            if ALIAS_ARN.match(spec):
                named_aliases.add(spec)
            elif spec.startswith("alias/"):
                named_aliases |= {a for a in known_aliases if a.endswith(":" + spec)}

    def key_passes(key, caller, through=None):
        if key_specs is not None and through not in named_aliases:
            ok = False
            for spec in key_specs:
                if key == spec:
                    ok = True
                elif spec.startswith("arn:"):
                    ok = ALIAS_ARN.match(spec) is not None and key == current_target(spec)
                elif spec.startswith("alias/"):
                    suffix = ":" + spec
                    ok = (ALIAS_ARN.match(key) is not None and key.endswith(suffix)) or any(
                        key == current_target(alias) for alias in known_aliases if alias.endswith(suffix))
                else:
                    ok = key.endswith(":key/" + spec)
                if ok:
                    break
            if not ok:
                return False
        if args.cross_account:
            owner = owner_of(key)
            if not caller or not owner or caller == owner:
                return False
        return True

    interval_calls = {}    # (alias, change index) -> calls
    unresolved_calls = {}  # alias -> calls
    rows = {}
    idle = {}              # key -> [calls, last_seen, last_crypto, last_get_public_key, deleted]
    start = None           # earliest time of a counted call: the scanned period is start..end
    lifecycle = []
    for c in calls:
        if c.folded:
            continue
        if c.t is not None:
            start = c.t if start is None else min(start, c.t)
        keys = []
        for raw in c.keys:
            via = None
            key = raw
            if not args.no_resolve_aliases and ALIAS_ARN.match(raw):
                resolved = resolve(raw, c.t)
                if resolved is not None:
                    key, index = resolved
                    via = (raw, index)
                else:
                    via = (raw, None)
            if not key_passes(key, c.caller, via[0] if via is not None and via[1] is not None else None):
                continue
            if via is not None:
                if via[1] is None:
                    unresolved_calls[via[0]] = unresolved_calls.get(via[0], 0) + 1
                else:
                    interval_calls[via] = interval_calls.get(via, 0) + 1
            if key not in keys:
                keys.append(key)
        for key in keys:
            values = {
                "key": key, "event": c.name, "principal": c.principal, "identity-type": c.identity_type,
                "caller-account": c.caller, "owner-account": owner_of(key), "region": c.region,
                "error-code": c.code, "day": fmt_day(c.t), "via": c.via, "role": c.role, "resource": c.resource,
                "resource-service": service_of_resource(c.resource),
            }
            row = tuple(values[dim] for dim in args.by)
            entry = rows.setdefault(row, [0, 0, None, None])
            entry[0] += 1
            entry[1] += 1 if c.error else 0
            if c.t is not None:
                entry[2] = c.t if entry[2] is None else min(entry[2], c.t)
                entry[3] = c.t if entry[3] is None else max(entry[3], c.t)
            if key:
                k = idle.setdefault(key, [0, None, None, None, False])
                k[0] += 1
                if c.t is not None:
                    k[1] = c.t if k[1] is None else max(k[1], c.t)
                    if c.name in CRYPTO_OPS:
                        k[2] = c.t if k[2] is None else max(k[2], c.t)
                    if c.name == "GetPublicKey":
                        k[3] = c.t if k[3] is None else max(k[3], c.t)
                if c.name == "DeleteKey" and not c.error:
                    k[4] = True
            if c.name in LIFECYCLE_OPS:
                detail, flags = lifecycle_detail(c.name, c.request, owner_of(key) if key else c.account)
                lifecycle.append((fmt_time(c.t), key, c.name, c.principal, c.code, detail, flags))

    if args.report == "usage":
        header = [DIMENSIONS[dim] for dim in args.by] + ["calls", "errors"]
        if args.times:
            header += ["first_seen", "last_seen"]
        out = []
        for row in sorted(rows, key=byte_key):
            calls_, errors, first, last = rows[row]
            line = list(row) + [calls_, errors]
            if args.times:
                line += [fmt_time(first), fmt_time(last)]
            out.append(line)
        out = render_csv(header, out)
    elif args.report == "idle":
        # docs/audit.md "Idle keys": the scanned period is start..end; a key
        # with no cryptographic call in it is idle only when the period is at
        # least --idle-days long, else unknown.
        window = args.idle_days * 86400
        threshold = None if end is None or start is None else end - window
        covers = end is not None and start is not None and end - min(start, end) >= window
        inventory = args.inventory or {}
        for arn in inventory:
            if arn in idle:
                continue
            parts = arn.split(":", 5)
            if args.account is not None and parts[4] not in args.account:
                continue
            if args.region is not None and parts[3] not in args.region:
                continue
            if not key_passes(arn, ""):
                continue
            idle[arn] = [0, None, None, None, False, True]
        out = []
        for key in sorted(idle, key=lambda k: k.encode("utf-8", "surrogatepass")):
            n, last_seen, last_crypto, last_public, deleted = idle[key][:5]
            only_inventory = len(idle[key]) > 5
            if deleted:
                continue
            if last_crypto is not None and threshold is not None and last_crypto >= threshold:
                continue
            verdict = "idle" if last_crypto is not None or covers else "unknown"
            notes = []
            if last_public is not None:
                notes.append(f"public key possibly used outside KMS (GetPublicKey, last {fmt_time(last_public)})")
            if only_inventory:
                notes.append("no event in the scanned period")
            elif last_crypto is None:
                notes.append("no cryptographic call in the scanned period; earlier use unknown")
            manager, state = inventory.get(key, ("", ""))
            out.append([key, fmt_time(last_crypto), fmt_time(last_seen), n, verdict, manager, state, "; ".join(notes)])
        out = render_csv(["key", "last_crypto_use", "last_seen", "calls", "verdict", "key_manager", "key_state", "note"],
                         out)
    elif args.report == "lifecycle":
        out = render_csv(["time", "key", "event_name", "principal", "error_code", "detail", "flags"],
                         sorted(lifecycle, key=byte_key))
    elif args.report == "aliases":
        # docs/audit.md gives no order; this is trailscan's: aliases in byte
        # order, each alias's intervals in the order of its changes, then its
        # unresolved row.
        out = []
        for alias in sorted(set(alias_changes) | set(learned) | set(unresolved_calls), key=lambda a: a.encode()):
            changes = alias_changes.get(alias, [])
            for i, (first, key, _) in enumerate(learned.get(alias, [])):
                until = changes[0][0] if changes else None
                out.append([alias, key, fmt_time(first), fmt_time(until), interval_calls.get((alias, -1 - i), 0)])
            for i, (t, kind, target) in enumerate(changes):
                if kind != 0:
                    continue
                until = changes[i + 1][0] if i + 1 < len(changes) else None
                out.append([alias, target, fmt_time(t), fmt_time(until), interval_calls.get((alias, i), 0)])
            if alias in unresolved_calls:
                out.append([alias, "", "", "", unresolved_calls[alias]])
        out = render_csv(["alias", "key", "from", "until", "calls"], out)
    elif args.report == "blind-spots":
        out = blind_spots(selector_changes)
        # By account, region, trail, then from (docs/audit.md).
        out.sort(key=lambda row: (row[1].encode(), row[2].encode(), row[0].encode(), row[3]))
        out = render_csv(["trail", "account", "region", "from", "until", "missing", "cause"], out)
    elif args.report == "gaps":
        out = []
        for (account, region), days in log_days.items():
            present = sorted(days)
            for a, b in zip(present, present[1:]):
                ta = calendar.timegm(time.strptime(a, "%Y-%m-%d"))
                tb = calendar.timegm(time.strptime(b, "%Y-%m-%d"))
                if tb - ta > 86400:
                    out.append([account, region, fmt_day(ta + 86400), fmt_day(tb - 86400)])
        out = render_csv(["account", "region", "from", "until"], sorted(out, key=byte_key))

    if not args.quiet:
        err.append(f"kms_audit.py: {files} files ({failed} failed), {records} records, {len(calls)} selected, "
                   f"{folded} duplicates folded, {copies_folded} duplicate deliveries folded")
    return (1 if failed else 0), out, "".join(line + "\n" for line in err)


def run_or_usage_error(argv):
    try:
        return run(argv)
    except UsageError as e:
        return 2, b"", f"{e}\n"


def main(argv):
    if argv[:1] == ["--batch"]:
        # Test helper: a JSON array of argument lists on stdin; a JSON array
        # of {"status", "stdout", "stderr"} on stdout. Files are parsed once.
        global CACHE
        CACHE = {}
        results = []
        for arguments in json.load(sys.stdin):
            status, out, err = run_or_usage_error(arguments)
            results.append({"status": status, "stdout": out.decode("utf-8", "surrogatepass"), "stderr": err})
        sys.stdout.write(json.dumps(results))
        return 0
    status, out, err = run_or_usage_error(argv)
    sys.stdout.buffer.write(out)
    sys.stdout.flush()
    sys.stderr.write(err)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
