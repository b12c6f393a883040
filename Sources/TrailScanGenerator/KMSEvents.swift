// KMS records: every key-reference form of docs/counting.md (resources[],
// responseElements.keyId, requestParameters key fields in ARN / alias /
// id forms, no key at all), failures, cross-account pairs, KMS-internal
// operations and nested look-alikes.
//
// A record is made in two phases. `draw` takes every random decision and
// returns a `KMSCall`; `write` turns it into tokens and draws nothing that
// depends on which copy is written. That is what lets the key owner's copy
// of a cross-account call be replayed later, in another file, from the same
// `KMSCall`.

/// Which copy of a record is being written.
enum CopyRole { case caller, owner }

/// Every decision about one KMS record.
struct KMSCall {
    enum Resources { case typed, untyped, absent, empty }
    enum RequestKey { case absent, keyARN, aliasARN, aliasName, keyID }
    enum ErrorField { case none, null, empty, failed(KMSFailure) }
    enum Context: Int, CaseIterable { case s3, app, ebs, secrets, dynamodb, lambda, cloudtrail, none }
    enum Caller { case principal, viaService(StaticString), awsService(StaticString), awsInternal }

    var op: KMSOp = .decrypt
    var owner = 0  // account that owns the key
    var ownerStream = 0  // the owner's stream in this region
    var key = 0
    var key2 = 0  // ReEncrypt destination, UpdateAlias's alias
    var resources = Resources.typed
    var request = RequestKey.absent
    var sourceKeyInRequest = false
    var error = ErrorField.none
    var crossAccount = false  // an owner copy will be written too
    var omitRecipient = false
    var context = Context.none
    var contextLookAlike = false
    var additionalLookAlike = false
    var legacy = false  // an old record: eventVersion 1.05, untyped resources
    var deep = false
    var longMessage = false
    var unicode = false
    var numbers = false
    var caller = Caller.principal
    var detailSeed: UInt64 = 0
    var ownerEventID: (UInt64, UInt64) = (0, 0)
    var sharedEventID: (UInt64, UInt64) = (0, 0)
}

enum KMSEvents {
    // MARK: - Draw

    /// Decides a KMS record of stream `stream`, shaped as `form` if given.
    static func draw(_ form: KMSForm?, rng: inout RandomSource, world: World, stream: Int) -> KMSCall {
        let account = world.streams[stream].account
        let region = world.streams[stream].region
        var c = KMSCall()
        c.owner = account
        c.ownerStream = stream

        c.op = operation(for: form, rng: &rng)

        // Cross-account: the key lives in a peer account of the same region.
        let peers = world.peers(of: account, region: region)
        let crossable: Set<KMSOp> = [.decrypt, .encrypt, .generateDataKey, .generateDataKeyWithoutPlaintext]
        var cross = false
        switch form {
        case .crossAccount?, .crossAccountDenied?: cross = !peers.isEmpty
        case nil: cross = crossable.contains(c.op) && !peers.isEmpty && rng.chance(3, in: 100)
        default: break
        }
        if cross {
            c.owner = peers[rng.below(peers.count)]
            c.ownerStream = world.stream(account: c.owner, region: region)!
        }

        // The key (and a second one for ReEncrypt / UpdateAlias).
        let keys = world.keys[c.ownerStream]
        switch c.op {
        case .sign, .verify, .getPublicKey: c.key = keys.count - 1
        case .generateMac, .verifyMac: c.key = keys.count - 2
        case .synchronizeMultiRegionKey: c.key = 1
        default: c.key = rng.skewed(keys.count - 2)
        }
        if form == .requestMultiRegionID { c.key = 1 }
        if form == .requestKeyUUID && keys[c.key].multiRegion { c.key = 0 }
        // AWS managed keys (alias/aws/...) accept no management calls.
        if c.op.kind == .management && keys[c.key].awsManaged { c.key = 0 }
        c.key2 = rng.below(keys.count - 2)
        if c.key2 == c.key || (c.op == .updateAlias && keys[c.key2].awsManaged) {
            c.key2 = c.key == 0 ? 1 : 0
        }

        // Failures and error-code oddities.
        switch form {
        case .failure(let f)?: c.error = .failed(f)
        case .errorCodeNull?: c.error = .null
        case .errorCodeEmpty?: c.error = .empty
        case .crossAccountDenied?: c.error = .failed(.accessDenied)
        case .longErrorMessage?: c.error = .failed(.validation)
        case nil:
            let r = rng.below(1000)
            if r < 20 {
                c.error = .failed(KMSFailure.allCases[rng.weighted(KMSFailure.weights, total: KMSFailure.totalWeight)])
            } else if r < 23 {
                c.error = .null
            } else if r < 25 {
                c.error = .empty
            }
        default: break
        }
        var failed = false
        if case .failed = c.error { failed = true }
        c.crossAccount = cross && !failed  // denied calls are logged only in the caller's account

        // resources[]
        switch c.op.kind {
        case .awsInternal: c.resources = .typed
        case .list: c.resources = c.op == .listKeys ? .absent : .empty
        default:
            switch form {
            case .resourcesUntyped?: c.resources = .untyped
            case .responseKeyIdOnly?, .requestKeyARN?, .requestAliasARN?, .requestAliasName?, .requestKeyUUID?,
                .requestMultiRegionID?, .targetKeyIdOnly?, .sourceAndDestinationOnly?, .missingRecipient?,
                .crossAccountDenied?:
                c.resources = .absent
            case nil:
                let r = rng.below(100)
                if failed && r < 60 {
                    c.resources = .absent
                } else if r < 4 {
                    c.resources = .untyped
                } else if r < 6 {
                    c.resources = .absent
                }
            default: break
            }
        }
        c.legacy = c.resources == .untyped

        // The key as the request names it.
        switch form {
        case .requestKeyARN?: c.request = .keyARN
        case .requestAliasARN?: c.request = .aliasARN
        case .requestAliasName?: c.request = .aliasName
        case .requestKeyUUID?, .requestMultiRegionID?, .missingRecipient?, .targetKeyIdOnly?, .responseKeyIdOnly?:
            c.request = .keyID
        default:
            if cross {
                c.request = rng.chance(17, in: 20) ? .keyARN : .aliasARN
            } else {
                c.request = randomRequestKey(c.op, rng: &rng)
            }
        }
        if c.op == .reEncrypt && c.resources == .absent { c.sourceKeyInRequest = true }
        let takesNoKey: Set<KMSOp> = [.listKeys, .listAliases, .generateRandom, .createKey, .deleteAlias,
            .retireGrant, .deleteExpiredKeyMaterial, .deleteKey, .rotateKey, .synchronizeMultiRegionKey]
        if takesNoKey.contains(c.op) {
            c.request = .absent
        } else if c.request == .absent && c.resources == .absent && !c.op.respondsWithKeyId {
            c.request = .keyARN
        }

        // Recipient, context, look-alikes, stress.
        c.omitRecipient = form == .missingRecipient || (form == nil && rng.chance(3, in: 1000))
        switch c.op {
        case .decrypt, .encrypt, .generateDataKey, .generateDataKeyWithoutPlaintext, .generateDataKeyPair,
            .reEncrypt:
            c.context = KMSCall.Context(rawValue: rng.weighted(contextWeights, total: contextWeightTotal))!
            if cross { c.context = .app }
        default: c.context = .none
        }
        if form == .contextKeyIdLookAlike {
            if c.context == .none { c.context = .app }
            c.contextLookAlike = true
        } else if c.context != .none && form == nil {
            c.contextLookAlike = rng.chance(1, in: 100)
        }
        c.additionalLookAlike = form == .additionalDataLookAlike || (form == nil && rng.chance(1, in: 150))
        c.deep = form == .deepNesting || (form == nil && rng.chance(1, in: 4000))
        c.numbers = form == .numbers || (form == nil && rng.chance(1, in: 500))
        c.unicode = form == .unicodeText || (form == nil && rng.chance(1, in: 300))
        c.longMessage = form == .longErrorMessage
        if form == nil && failed && rng.chance(1, in: 500) { c.longMessage = true }

        // Who calls.
        if c.op.kind == .awsInternal {
            c.caller = .awsInternal
        } else if !cross {
            let service: StaticString?
            switch c.context {
            case .s3: service = "s3.amazonaws.com"
            case .ebs: service = "ec2.amazonaws.com"
            case .secrets: service = "secretsmanager.amazonaws.com"
            case .dynamodb: service = "dynamodb.amazonaws.com"
            case .lambda: service = "lambda.amazonaws.com"
            case .cloudtrail: service = nil
            case .app, .none: service = nil
            }
            if c.context == .cloudtrail {
                c.caller = .awsService("cloudtrail.amazonaws.com")
            } else if let service, rng.chance(4, in: 5) {
                c.caller = .viaService(service)
            }
        }

        c.detailSeed = rng.next()
        if c.crossAccount {
            c.ownerEventID = (rng.next(), rng.next())
            c.sharedEventID = (rng.next(), rng.next())
        }
        return c
    }

    private static let contextWeights = [35, 25, 10, 10, 8, 7, 5, 0]
    private static let contextWeightTotal = contextWeights.reduce(0, +)

    private static func operation(for form: KMSForm?, rng: inout RandomSource) -> KMSOp {
        switch form {
        case .operation(let op)?: return op
        case .reEncryptTwoKeys?, .sourceAndDestinationOnly?: return .reEncrypt
        case .aliasARNInResources?: return [.createAlias, .updateAlias, .deleteAlias][rng.below(3)]
        case .targetKeyIdOnly?: return rng.chance(1, in: 2) ? .createAlias : .updateAlias
        case .responseKeyIdOnly?:
            return [.scheduleKeyDeletion, .cancelKeyDeletion, .rotateKeyOnDemand, .createGrant][rng.below(4)]
        case .crossAccount?, .crossAccountDenied?, .contextKeyIdLookAlike?:
            return [.decrypt, .generateDataKey, .encrypt][rng.below(3)]
        case .failure(.invalidCiphertext)?, .failure(.incorrectKey)?: return .decrypt
        case .failure(.invalidKeyUsage)?, .longErrorMessage?: return .generateDataKey
        case .requestKeyARN?, .requestAliasARN?, .requestAliasName?, .requestKeyUUID?, .requestMultiRegionID?:
            return [.encrypt, .generateDataKey, .describeKey, .decrypt][rng.below(4)]
        case .missingRecipient?: return rng.chance(1, in: 2) ? .encrypt : .describeKey
        case .resourcesTyped?, .resourcesUntyped?: return rng.chance(1, in: 2) ? .decrypt : .generateDataKey
        default:
            return KMSOp.allCases[rng.weighted(KMSOp.weights, total: KMSOp.totalWeight)]
        }
    }

    private static func randomRequestKey(_ op: KMSOp, rng: inout RandomSource) -> KMSCall.RequestKey {
        switch op.kind {
        case .list, .awsInternal: return .absent
        case .crypto:
            if op == .decrypt { return rng.chance(3, in: 4) ? .absent : .keyARN }
            let r = rng.below(100)
            return r < 35 ? .aliasName : (r < 70 ? .keyARN : (r < 90 ? .keyID : .aliasARN))
        case .read, .management:
            let r = rng.below(100)
            if op == .createAlias || op == .updateAlias { return r < 70 ? .keyID : .keyARN }
            return r < 50 ? .keyID : (r < 85 ? .keyARN : (op == .describeKey ? .aliasName : .keyID))
        }
    }

    // MARK: - Write

    /// Writes one record object. `role` selects the caller's or the key
    /// owner's copy; nothing random is drawn differently between the two.
    static func write(
        _ w: inout JSONWriter, _ c: KMSCall, world: World, stream: Int, eventTime: Int64, role: CopyRole
    ) {
        let callerAccount = world.accounts[world.streams[stream].account]
        let region = world.regions[world.streams[stream].region]
        let ownerAccount = world.accounts[c.owner]
        let keys = world.keys[c.ownerStream]
        let key = keys[c.key]
        var d = RandomSource(seed: c.detailSeed)

        var e = Envelope(region: region)
        e.drawCommon(&d, eventTime: eventTime)
        e.callerAccount = callerAccount.id
        e.eventName = c.op.name
        e.readOnly = c.op.readOnly
        let principal = e.drawPrincipal(
            &d, account: callerAccount, unicodeAgent: c.unicode && d.chance(1, in: 2), longAgent: false)
        e.tlsHost = "kms"
        switch c.caller {
        case .principal:
            if case .principal(let p, _) = e.identity, p.invokedBy != nil { e.tlsHost = nil }
        case .viaService(let service):
            e.identity = .principal(principal, invokedBy: service)
            e.source = .service(service)
            e.agent = .service(service)
            e.tlsHost = nil
        case .awsService(let service):
            e.identity = .awsService(service)
            e.source = .service(service)
            e.agent = .service(service)
            e.tlsHost = nil
        case .awsInternal:
            e.identity = .awsInternal
            e.source = .awsInternal
            e.agent = .service("AWS Internal")
            e.tlsHost = nil
            e.eventType = "AwsServiceEvent"
            e.eventVersion = "1.08"
        }
        if c.legacy {
            e.eventVersion = d.chance(1, in: 2) ? "1.05" : "1.02"
            e.tlsHost = nil
        }
        if role == .owner {
            e.identity = .awsAccount(principal)
            e.eventID = c.ownerEventID
        }
        if !c.omitRecipient { e.recipientAccount = role == .owner ? ownerAccount.id : callerAccount.id }
        if c.crossAccount { e.sharedEventID = c.sharedEventID }

        w.beginObject()
        EnvelopeWriter.writeHead(&w, e)
        writeError(&w, c, key: key, principal: principal, region: region, rng: &d)
        w.key("requestParameters")
        writeRequest(&w, c, keys: keys, ownerAccount: ownerAccount, region: region, principal: principal, rng: &d)
        w.key("responseElements")
        writeResponse(&w, c, key: key, ownerAccount: ownerAccount, eventTime: eventTime, rng: &d)
        writeAdditional(&w, c, region: region, rng: &d)
        EnvelopeWriter.writeIDs(&w, e)
        writeResources(&w, c, keys: keys, ownerAccount: ownerAccount)
        if c.legacy {
            w.member("eventType", e.eventType)
            if let recipient = e.recipientAccount { w.member("recipientAccountId", recipient) }
        } else {
            EnvelopeWriter.writeTail(&w, e)
        }
        if c.op == .deleteExpiredKeyMaterial || c.op == .rotateKey {
            // Nested keyId: data, not the record's own key field.
            w.key("serviceEventDetails")
            w.beginObject()
            w.member("keyId", key.id)
            w.endObject()
        }
        w.endObject()
    }

    private static func writeKeyRef(_ w: inout JSONWriter, _ form: KMSCall.RequestKey, _ key: World.Key) {
        switch form {
        case .absent, .keyARN: w.string(key.arn)
        case .aliasARN: w.string(key.aliasARN)
        case .aliasName: w.string(key.alias)
        case .keyID: w.string(key.id)
        }
    }

    private static func writeError(
        _ w: inout JSONWriter, _ c: KMSCall, key: World.Key, principal: World.Principal, region: World.Region,
        rng: inout RandomSource
    ) {
        switch c.error {
        case .none: return
        case .null: w.nullMember("errorCode")
        case .empty: w.member("errorCode", "")
        case .failed(let f):
            w.member("errorCode", f.code)
            if f == .invalidCiphertext { return }  // KMS logs no message for it
            w.key("errorMessage")
            if c.longMessage {
                w.string(StressContent.longText(seed: rng.next(), minimumBytes: 100_000))
                return
            }
            w.beginString()
            switch f {
            case .accessDenied:
                w.text("User: ")
                w.text(principal.arn)
                w.text(" is not authorized to perform: kms:")
                w.text(c.op.name)
                w.text(" on resource: ")
                w.text(key.arn)
                w.text(
                    c.crossAccount || c.request == .keyARN
                        ? " because no resource-based policy allows the kms:"
                        : " because no identity-based policy allows the kms:")
                w.text(c.op.name)
                w.text(" action")
            case .throttling:
                w.text("You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.")
            case .notFound:
                if c.request == .aliasName || c.request == .aliasARN {
                    w.text("Alias ")
                    w.text(key.aliasARN)
                    w.text(" is not found.")
                } else {
                    w.text("Key '")
                    w.text(key.arn)
                    w.text("' does not exist")
                }
            case .disabled:
                w.text(key.arn)
                w.text(c.unicode ? " is disabled – the key’s owner disabled it 🔒" : " is disabled.")
            case .invalidState:
                w.text(key.arn)
                w.text(" is pending deletion.")
            case .incorrectKey:
                w.text("The key ID in the request does not identify a KMS key that can perform this operation.")
            case .invalidKeyUsage:
                w.text(key.arn)
                w.text(" key usage is SIGN_VERIFY which is not valid for ")
                w.text(c.op.name)
                w.text(".")
            case .validation:
                w.text("1 validation error detected: Value '2048' at 'numberOfBytes' failed to satisfy ")
                w.text("constraint: Member must have value less than or equal to 1024")
            case .invalidCiphertext: break
            }
            w.endString()
        }
    }

    private static func writeContext(
        _ w: inout JSONWriter, _ c: KMSCall, account: World.Account, region: World.Region, rng: inout RandomSource
    ) {
        w.beginObject()
        switch c.context {
        case .s3, .none:
            w.key("aws:s3:arn")
            w.beginString()
            w.text("arn:")
            w.text(region.partition)
            w.text(":s3:::")
            w.text(account.bucket)
            w.text("/")
            w.text(objectKeys[rng.below(objectKeys.count)])
            w.endString()
        case .app:
            if c.unicode {
                w.member("Département", "Ingénierie")
                w.member("项目", "火星 🚀")
            } else {
                w.member("Department", ["Engineering", "Finance", "Analytics"][rng.below(3)])
                w.member("Project", ["Alpha", "Orion", "Helios"][rng.below(3)])
            }
        case .ebs:
            w.key("aws:ebs:id")
            w.beginString()
            w.text("vol-0")
            w.text(hex: rng.next(), digits: 16)
            w.endString()
        case .secrets:
            w.key("SecretARN")
            w.beginString()
            w.text("arn:")
            w.text(region.partition)
            w.text(":secretsmanager:")
            w.text(region.name)
            w.text(":")
            w.text(account.id)
            w.text(":secret:prod/orders/db-")
            w.text(randomString(&rng, count: 6, alphabet: mixedAlnum))
            w.endString()
            w.key("SecretVersionId")
            w.uuid((rng.next(), rng.next()))
        case .dynamodb:
            w.member("aws:dynamodb:tableName", ["Orders", "Sessions", "Inventory"][rng.below(3)])
            w.member("aws:dynamodb:subscriberId", account.id)
        case .lambda:
            w.key("aws:lambda:FunctionArn")
            w.beginString()
            w.text("arn:")
            w.text(region.partition)
            w.text(":lambda:")
            w.text(region.name)
            w.text(":")
            w.text(account.id)
            w.text(":function:ingest-handler")
            w.endString()
        case .cloudtrail:
            w.key("aws:cloudtrail:arn")
            w.beginString()
            w.text("arn:")
            w.text(region.partition)
            w.text(":cloudtrail:")
            w.text(region.name)
            w.text(":")
            w.text(account.id)
            w.text(":trail/")
            w.text(account.trailName)
            w.endString()
        }
        if c.contextLookAlike {
            // Application data that happens to be called keyId.
            w.key("keyId")
            writeDecoyKey(&w, region: region)
        }
        w.endObject()
    }

    /// A key ARN in an account that exists nowhere in the trail: counted
    /// only by a scanner that mistakes nested data for the record's fields.
    static func writeDecoyKey(_ w: inout JSONWriter, region: World.Region) {
        w.beginString()
        w.text("arn:")
        w.text(region.partition)
        w.text(":kms:")
        w.text(region.name)
        w.text(":000000000000:key/0000dec0-0000-4000-8000-00000000dec0")
        w.endString()
    }

    private static func writeRequest(
        _ w: inout JSONWriter, _ c: KMSCall, keys: [World.Key], ownerAccount: World.Account,
        region: World.Region, principal: World.Principal, rng: inout RandomSource
    ) {
        let key = keys[c.key]
        let account = ownerAccount
        let stressOnly = c.op.kind == .awsInternal || c.op == .retireGrant || c.op == .listKeys
            || c.op == .listAliases || c.op == .generateRandom
        if stressOnly && !c.deep && !c.numbers {
            switch c.op {
            case .listKeys, .listAliases:
                if rng.chance(1, in: 2) {
                    w.beginObject()
                    w.member("limit", number: c.op == .listKeys ? 1000 : 100)
                    w.endObject()
                    return
                }
            case .generateRandom:
                if rng.chance(1, in: 2) {
                    w.beginObject()
                    w.member("numberOfBytes", number: 32)
                    w.endObject()
                    return
                }
            default: break
            }
            w.null()
            return
        }
        w.beginObject()
        if c.request != .absent && c.op != .createAlias && c.op != .updateAlias && c.op != .reEncrypt {
            w.key("keyId")
            writeKeyRef(&w, c.request, key)
        }
        switch c.op {
        case .decrypt:
            if c.context != .none {
                w.key("encryptionContext")
                writeContext(&w, c, account: account, region: region, rng: &rng)
            }
            w.member("encryptionAlgorithm", "SYMMETRIC_DEFAULT")
        case .encrypt:
            if c.context != .none {
                w.key("encryptionContext")
                writeContext(&w, c, account: account, region: region, rng: &rng)
            }
            w.member("encryptionAlgorithm", "SYMMETRIC_DEFAULT")
        case .generateDataKey, .generateDataKeyWithoutPlaintext:
            if rng.chance(3, in: 4) {
                w.member("keySpec", "AES_256")
            } else {
                w.member("numberOfBytes", number: rng.chance(1, in: 2) ? 32 : 64)
            }
            if c.context != .none {
                w.key("encryptionContext")
                writeContext(&w, c, account: account, region: region, rng: &rng)
            }
        case .generateDataKeyPair:
            w.member("keyPairSpec", rng.chance(1, in: 2) ? "RSA_2048" : "ECC_NIST_P256")
            if c.context != .none {
                w.key("encryptionContext")
                writeContext(&w, c, account: account, region: region, rng: &rng)
            }
        case .reEncrypt:
            w.member("sourceEncryptionAlgorithm", "SYMMETRIC_DEFAULT")
            if c.sourceKeyInRequest {
                w.key("sourceKeyId")
                writeKeyRef(&w, .keyARN, key)
            }
            w.key("destinationKeyId")
            writeKeyRef(&w, c.request == .absent ? .keyID : c.request, keys[c.key2])
            w.member("destinationEncryptionAlgorithm", "SYMMETRIC_DEFAULT")
            if c.context != .none {
                w.key("sourceEncryptionContext")
                writeContext(&w, c, account: account, region: region, rng: &rng)
            }
        case .sign, .verify:
            w.member("messageType", rng.chance(1, in: 2) ? "RAW" : "DIGEST")
            w.member("signingAlgorithm", "RSASSA_PSS_SHA_256")
        case .generateMac, .verifyMac:
            w.member("macAlgorithm", "HMAC_SHA_256")
        case .getKeyPolicy:
            w.member("policyName", "default")
        case .listGrants:
            w.member("limit", number: 50)
        case .createKey:
            w.member("description", c.unicode ? "Clé de chiffrement – équipe 財務 💶" : "orders service data key")
            w.member("keyUsage", "ENCRYPT_DECRYPT")
            w.member("keySpec", "SYMMETRIC_DEFAULT")
            w.member("customerMasterKeySpec", "SYMMETRIC_DEFAULT")
            w.member("origin", "AWS_KMS")
            w.member("bypassPolicyLockoutSafetyCheck", bool: false)
            w.member("multiRegion", bool: false)
            w.key("tags")
            if rng.chance(1, in: 2) {
                w.emptyArray()
            } else {
                w.beginArray()
                w.beginObject()
                w.member("tagKey", "team")
                w.member("tagValue", "payments")
                w.endObject()
                w.endArray()
            }
        case .createAlias, .updateAlias:
            w.member("aliasName", c.op == .createAlias ? key.alias : keys[c.key2].alias)
            w.key("targetKeyId")
            writeKeyRef(&w, c.request, key)
        case .deleteAlias:
            w.member("aliasName", key.alias)
        case .scheduleKeyDeletion:
            w.member("pendingWindowInDays", number: [7, 14, 30][rng.below(3)])
        case .putKeyPolicy:
            w.member("policyName", "default")
            w.member("policy", StressContent.keyPolicy(account: account.id, partition: region.partition,
                                                     principal: principal.issuerArn.isEmpty ? principal.arn : principal.issuerArn))
            w.member("bypassPolicyLockoutSafetyCheck", bool: false)
        case .createGrant:
            w.member("granteePrincipal", principal.issuerArn.isEmpty ? principal.arn : principal.issuerArn)
            w.key("operations")
            w.beginArray()
            w.string("Decrypt")
            w.string("GenerateDataKey")
            if rng.chance(1, in: 2) { w.string("RetireGrant") }
            w.endArray()
            w.key("constraints")
            w.beginObject()
            w.key("encryptionContextSubset")
            w.beginObject()
            w.key("aws:ebs:id")
            w.beginString()
            w.text("vol-0")
            w.text(hex: rng.next(), digits: 16)
            w.endString()
            w.endObject()
            w.endObject()
        case .enableKeyRotation:
            w.member("rotationPeriodInDays", number: 365)
        case .tagResource:
            w.key("tags")
            w.beginArray()
            w.beginObject()
            w.member("tagKey", "cost-center")
            w.member("tagValue", c.unicode ? "Recherche & Développement — Zürich" : "cc-1042")
            w.endObject()
            w.endArray()
        default:
            break
        }
        if c.numbers {
            w.key("clientMetrics")
            StressContent.writeNumbers(&w, rng: &rng)
        }
        if c.deep {
            w.key("grantConstraintsHistory")
            StressContent.writeDeep(&w, depth: 36, rng: &rng)
        }
        w.endObject()
    }

    private static func writeResponse(
        _ w: inout JSONWriter, _ c: KMSCall, key: World.Key, ownerAccount: World.Account, eventTime: Int64,
        rng: inout RandomSource
    ) {
        if case .failed = c.error {
            w.null()
            return
        }
        switch c.op {
        case .createKey:
            w.beginObject()
            w.key("keyMetadata")
            w.beginObject()
            w.member("aWSAccountId", ownerAccount.id)
            w.member("keyId", key.id)
            w.member("arn", key.arn)
            w.key("creationDate")
            w.javaTimestamp(eventTime)
            w.member("enabled", bool: true)
            w.member("description", "")
            w.member("keyUsage", "ENCRYPT_DECRYPT")
            w.member("keyState", "Enabled")
            w.member("origin", "AWS_KMS")
            w.member("keyManager", "CUSTOMER")
            w.member("customerMasterKeySpec", "SYMMETRIC_DEFAULT")
            w.member("keySpec", "SYMMETRIC_DEFAULT")
            w.key("encryptionAlgorithms")
            w.beginArray()
            w.string("SYMMETRIC_DEFAULT")
            w.endArray()
            w.member("multiRegion", bool: false)
            w.endObject()
            w.endObject()
        case .scheduleKeyDeletion:
            w.beginObject()
            w.member("keyId", key.arn)
            w.key("deletionDate")
            w.javaTimestamp(eventTime + 7 * 86_400)
            w.member("keyState", "PendingDeletion")
            w.member("pendingWindowInDays", number: 7)
            w.endObject()
        case .cancelKeyDeletion, .rotateKeyOnDemand:
            w.beginObject()
            w.member("keyId", key.arn)
            w.endObject()
        case .createGrant:
            w.beginObject()
            w.key("grantId")
            w.beginString()
            for _ in 0..<4 { w.text(hex: rng.next(), digits: 16) }
            w.endString()
            w.member("keyId", key.arn)
            w.endObject()
        default:
            w.null()
        }
    }

    private static func writeAdditional(
        _ w: inout JSONWriter, _ c: KMSCall, region: World.Region, rng: inout RandomSource
    ) {
        guard c.additionalLookAlike || c.op == .retireGrant else { return }
        w.key("additionalEventData")
        w.beginObject()
        if c.op == .retireGrant {
            w.key("grantId")
            w.beginString()
            for _ in 0..<4 { w.text(hex: rng.next(), digits: 16) }
            w.endString()
        }
        if c.additionalLookAlike {
            w.member("customKeyStoreId", "cks-1234567890abcdef0")
            w.member("eventSource", "s3.amazonaws.com")
            w.key("keyId")
            writeDecoyKey(&w, region: region)
        }
        w.endObject()
    }

    private static func writeResources(
        _ w: inout JSONWriter, _ c: KMSCall, keys: [World.Key], ownerAccount: World.Account
    ) {
        let key = keys[c.key]
        switch c.resources {
        case .absent: return
        case .empty:
            w.key("resources")
            w.emptyArray()
            return
        case .typed, .untyped: break
        }
        let type: StaticString? = c.resources == .typed ? "AWS::KMS::Key" : nil
        let arnFirst = c.resources == .untyped
        let account = ownerAccount.id
        w.key("resources")
        w.beginArray()
        switch c.op {
        case .reEncrypt:
            EnvelopeWriter.writeResource(&w, account: account, type: type, arn: key.arn, arnFirst: arnFirst)
            EnvelopeWriter.writeResource(&w, account: account, type: type, arn: keys[c.key2].arn, arnFirst: arnFirst)
        case .createAlias:
            EnvelopeWriter.writeResource(&w, account: account, type: type, arn: key.arn, arnFirst: arnFirst)
            EnvelopeWriter.writeResource(&w, account: account, type: type, arn: key.aliasARN, arnFirst: arnFirst)
        case .updateAlias:
            EnvelopeWriter.writeResource(&w, account: account, type: type, arn: keys[c.key2].aliasARN, arnFirst: arnFirst)
            EnvelopeWriter.writeResource(&w, account: account, type: type, arn: key.arn, arnFirst: arnFirst)
        case .deleteAlias:
            EnvelopeWriter.writeResource(&w, account: account, type: type, arn: key.aliasARN, arnFirst: arnFirst)
            EnvelopeWriter.writeResource(&w, account: account, type: type, arn: key.arn, arnFirst: arnFirst)
        default:
            EnvelopeWriter.writeResource(&w, account: account, type: type, arn: key.arn, arnFirst: arnFirst)
        }
        w.endArray()
    }
}

let objectKeys: [String] = [
    "orders/2026/10/01/batch-0001.parquet", "invoices/INV-20261001-4471.pdf", "raw/events/part-00017.json.gz",
    "media/thumbnails/p/8c1f/IMG_2041.jpg", "exports/customers.csv", "reports/Q3/résumé-データ.pdf",
]
