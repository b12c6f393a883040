# Per-KMS-key counts of a CloudTrail trail in trailscan's CSV format, in jq:
# docs/counting.md, mirroring scripts/peers/kms_counts.py rule for rule.
#
#   zcat FILE... | jq -rn -f scripts/peers/kms_counts.jq
#
# Reads a stream of trail documents ({"Records":[...]}, as `zcat` of many
# files prints them) and prints `key,event_name,calls,errors`, sorted by key
# then event name (jq sorts strings by code point, which is UTF-8 byte
# order), quoted like Python's csv module (only fields holding , " CR LF).
# Unlike trailscan and kms_counts.py, a document that fails to parse stops
# jq: there are no per-file failures here.

def str_or_null: if type == "string" then . else null end;

# arn:<partition>:kms:<region>:<account>:key/<id> (kms_counts.py KEY_ARN).
def is_key_arn:
  type == "string" and test("\\Aarn:[^:]+:kms:[^:]*:[^:]*:key/[\\s\\S]");

def partition:
  if startswith("cn-") then "aws-cn"
  elif startswith("us-gov-") then "aws-us-gov"
  else "aws" end;

def add_unique($k): if any(.[]; . == $k) then . else . + [$k] end;

# The keys of one KMS record, by the first rule that yields any.
def record_keys:
  . as $r
  # Rule 1: every resources[].ARN that is a key ARN, deduplicated, in order.
  | (reduce (($r.resources | if type == "array" then .[] else empty end)
             | if type == "object" then (.ARN | str_or_null) else null end
             | select(is_key_arn)) as $k ([]; add_unique($k))) as $rule1
  | if ($rule1 | length) > 0 then $rule1
    else
      # Rule 2: responseElements.keyId when it is a key ARN.
      ($r.responseElements | if type == "object" then (.keyId | str_or_null) else null end) as $response
      | if ($response | is_key_arn) then [$response]
        else
          # Rule 3: the request's key fields, normalized, deduplicated.
          ($r.requestParameters) as $request
          | (if ($request | type) == "object" then
              (($r.awsRegion | str_or_null) // "") as $region
              | ($r.recipientAccountId | str_or_null) as $recipient
              | (if $recipient == null then
                   ($r.userIdentity | if type == "object" then (.accountId | str_or_null) else null end)
                 else $recipient end // "") as $account
              | reduce ($request.keyId, $request.targetKeyId, $request.sourceKeyId, $request.destinationKeyId
                        | str_or_null | select(. != null and . != "")) as $v ([];
                  add_unique(
                    if ($v | startswith("arn:")) then $v
                    elif ($v | startswith("alias/")) then "arn:\($region | partition):kms:\($region):\($account):\($v)"
                    else "arn:\($region | partition):kms:\($region):\($account):key/\($v)" end))
             else [] end)
          # Rule 4: no key.
          | if length > 0 then . else [""] end
        end
    end;

def csv_field: if test("[,\"\r\n]") then "\"" + gsub("\""; "\"\"") + "\"" else . end;

reduce (inputs | .Records[] | select(.eventSource == "kms.amazonaws.com")
        | ((.eventName | str_or_null) // "") as $name
        | (.errorCode | type == "string" and . != "") as $failed
        | record_keys[] | [., $name, $failed])
  as [$key, $name, $failed] ({};
    .[$key][$name] |= (if . == null then [0, 0] else . end | .[0] += 1 | if $failed then .[1] += 1 else . end))
| "key,event_name,calls,errors",
  (. as $table | keys[] as $key | $table[$key] | keys[] as $name
   | [($key | csv_field), ($name | csv_field), (.[$name][0] | tostring), (.[$name][1] | tostring)] | join(","))
