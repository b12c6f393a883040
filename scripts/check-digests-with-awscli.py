#!/usr/bin/env python3
# Independent check of digests written by `trailscan generate`: validates
# every linked signature with the AWS CLI's own Sha256RSADigestValidator
# (awscli/customizations/cloudtrail/validation.py, pip install awscli) and
# every listed log hash with hashlib over the gunzipped file.
# Usage: scripts/check-digests-with-awscli.py TRAIL_DIR KEYS_JSON
import sys, os, gzip, json, hashlib, glob, base64
from awscli.customizations.cloudtrail.validation import Sha256RSADigestValidator, DigestError
root, keysfile = sys.argv[1], sys.argv[2]
keys = json.load(open(keysfile))['PublicKeyList']
# The CLI gets Value from botocore already base64-decoded once (a blob).
pub = {k['Fingerprint']: base64.b64decode(k['Value']) for k in keys}
digests = {}
for p in glob.glob(root + '/**/CloudTrail-Digest/**/*.json.gz', recursive=True):
    raw = gzip.open(p).read()
    d = json.loads(raw)
    digests[d['digestS3Object']] = (d, raw)
v = Sha256RSADigestValidator()
checked = bad = logs = badlogs = 0
for key, (d, raw) in digests.items():
    prev = d.get('previousDigestS3Object')
    if prev:
        pd, praw = digests[prev]
        assert hashlib.sha256(praw).hexdigest() == d['previousDigestHashValue'], prev
        pd = dict(pd); pd['_signature'] = d['previousDigestSignature']
        try:
            v.validate(pd['digestS3Bucket'], prev, pub[pd['digestPublicKeyFingerprint']], pd, praw); checked += 1
        except DigestError as e:
            bad += 1; print(e)
    for lf in d['logFiles']:
        data = gzip.open(os.path.join(root, lf['s3Object'])).read()
        logs += 1
        if hashlib.sha256(data).hexdigest() != lf['hashValue']: badlogs += 1
print(f"awscli validator: {checked} signatures valid, {bad} invalid; {logs} log hashes, {badlogs} wrong")
