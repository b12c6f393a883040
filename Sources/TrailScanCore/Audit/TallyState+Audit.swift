// The per-record work that only plans beyond the engine's default pay for:
// filters, extra dimensions, principals, and the rare facts (alias changes
// and uses, shared cross-account copies, selector changes, lifecycle).

extension TallyState {
    func eventTime(_ fields: RecordFields, _ bytes: JSONBytes) -> Int64? {
        guard fields.eventTime.isPresent else { return nil }
        return UTCTime.parse(view(fields.eventTime, bytes, extraScratch))
    }

    func passesFilters(_ fields: RecordFields, _ bytes: JSONBytes, time: Int64?, isError: Bool) -> Bool {
        let filter = plan.filter
        if filter.since != nil || filter.until != nil {
            guard let time else { return false }
            if let since = filter.since, time < since { return false }
            if let until = filter.until, time >= until { return false }
        }
        if filter.errorsOnly && !isError { return false }
        if let readOnly = filter.readOnly, fields.readOnly != (readOnly ? .yes : .no) { return false }
        if !rules.accounts.isEmpty {
            let slice = fields.recipientAccountId.isPresent ? fields.recipientAccountId : fields.userAccountId
            guard slice.isPresent, PlanRules.contains(rules.accounts, view(slice, bytes, extraScratch)) else {
                return false
            }
        }
        if !rules.regions.isEmpty {
            guard fields.awsRegion.isPresent,
                PlanRules.contains(rules.regions, view(fields.awsRegion, bytes, extraScratch))
            else { return false }
        }
        if !rules.eventNames.isEmpty {
            let name = fields.eventName.isPresent ? view(fields.eventName, bytes, extraScratch) : Self.emptyBytes
            guard PlanRules.contains(rules.eventNames, name) else { return false }
        }
        if !rules.principals.isEmpty {
            let principal = Principal.string(fields, bytes, self)
            let account = fields.userAccountId.isPresent ? string(fields.userAccountId, bytes) : ""
            guard rules.principalMatcher.matches(principal: principal, account: account) else { return false }
        }
        return true
    }

    /// Interns the values of the extra dimensions the plan groups by.
    mutating func fillExtraSlots(_ slots: inout RowSlots, _ fields: RecordFields, _ bytes: JSONBytes, time: Int64?)
        -> Bool
    {
        if rules.principalSlot {
            guard let id = principalID(fields, bytes) else { return false }
            slots[RowSlots.principalSlot] = id
        }
        if rules.identityTypeSlot {
            guard let id = identityTypeID(fields, bytes) else { return false }
            slots[RowSlots.identityTypeSlot] = id
        }
        if rules.callerAccountSlot && fields.userAccountId.isPresent {
            guard let id = interner.intern(view(fields.userAccountId, bytes, extraScratch)) else { return false }
            slots[RowSlots.callerAccountSlot] = id
        }
        if rules.regionSlot && fields.awsRegion.isPresent {
            guard let id = interner.intern(view(fields.awsRegion, bytes, extraScratch)) else { return false }
            slots[RowSlots.regionSlot] = id
        }
        if rules.errorCodeSlot && fields.errorCode.isPresent {
            guard let id = interner.intern(view(fields.errorCode, bytes, extraScratch)) else { return false }
            slots[RowSlots.errorCodeSlot] = id
        }
        if rules.daySlot, let time { slots[RowSlots.daySlot] = RowSlots.dayValue(UTCTime.day(time)) }
        if rules.viaSlot, case .value(let slice) = Principal.via(fields, bytes, self) {
            guard let id = interner.intern(view(slice, bytes, extraScratch)) else { return false }
            slots[RowSlots.viaSlot] = id
        }
        if rules.roleSlot,
            let slice = MemberLookup.string(
                at: ["sessionContext", "sessionIssuer", "arn"], in: bytes, range: fields.userIdentity, scratch: extraScratch)
        {
            guard let id = interner.intern(view(slice, bytes, extraScratch)) else { return false }
            slots[RowSlots.roleSlot] = id
        }
        if rules.resourceSlot {
            guard let id = resourceID(fields, bytes) else { return false }
            slots[RowSlots.resourceSlot] = id
        }
        return true
    }

    /// The interner id of the resource the record's encryption context
    /// names (docs/audit.md, "Resources"): of the context keys in
    /// `ResourceContext.keys` whose (last) member is a string, the first;
    /// its value as it is when an ARN, else as `name=value`; 0 (empty)
    /// without one.
    mutating func resourceID(_ fields: RecordFields, _ bytes: JSONBytes) -> UInt32? {
        let members = MemberLookup.members(
            at: ["encryptionContext"], in: bytes, range: fields.requestParameters, scratch: extraScratch)
        guard !members.isEmpty else { return 0 }
        // Per context key, its last member (a repeated name: the last wins).
        var last = [(name: ByteSlice, value: ByteSlice?)?](repeating: nil, count: ResourceContext.keys.count)
        for member in members {
            if let rank = ResourceContext.rank(of: view(member.name, bytes, extraScratch)) { last[rank] = member }
        }
        guard let found = last.first(where: { $0?.value != nil }), let chosen = found, let valueSlice = chosen.value else {
            return 0
        }
        normalized.removeAll(keepingCapacity: true)
        let value = view(valueSlice, bytes, valueScratch)
        if !ResourceContext.isARN(value) {
            normalized.append(contentsOf: view(chosen.name, bytes, extraScratch))
            normalized.append(UInt8(ascii: "="))
        }
        normalized.append(contentsOf: value)
        return normalized.withUnsafeBytes { interner.intern($0) }
    }

    // MARK: - Rare facts

    /// The record as a call to count after the scan.
    func deferredCall(_ slots: RowSlots, _ counts: CallCounts, _ fields: RecordFields, _ bytes: JSONBytes, time: Int64?)
        -> DeferredCall
    {
        var row = slots
        row[RowSlots.keySlot] = keyIDs[0]
        return DeferredCall(
            row: rowKey(row), keys: keyIDs.map { interner.string($0) }, time: time ?? eventTime(fields, bytes),
            counts: counts)
    }

    mutating func noteSharedCopy(
        _ slots: RowSlots, _ counts: CallCounts, _ fields: RecordFields, _ bytes: JSONBytes, time: Int64?,
        lifecycle: Bool
    ) {
        pending.facts.sharedCopies.append(
            SharedCopy(
                eventID: string(fields.sharedEventID, bytes), recipientAccount: string(fields.recipientAccountId, bytes),
                callerAccount: string(fields.userAccountId, bytes), call: deferredCall(slots, counts, fields, bytes, time: time),
                lifecycle: lifecycle ? lifecycleEvents(fields, bytes, time: time) : []))
    }

    func lifecycleEvents(_ fields: RecordFields, _ bytes: JSONBytes, time: Int64?) -> [LifecycleEvent] {
        let principal = Principal.string(fields, bytes, self)
        let when = time ?? eventTime(fields, bytes)
        let event = string(fields.eventName, bytes)
        let caller = string(fields.userAccountId, bytes)
        let errorCode = string(fields.errorCode, bytes)
        var request: JSONValue?
        if !fields.requestParameters.isEmpty {
            request = JSONValue.parse(
                UnsafeRawBufferPointer(
                    start: bytes.base + fields.requestParameters.lowerBound, count: fields.requestParameters.count))
        }
        let recipient = string(fields.recipientAccountId.isPresent ? fields.recipientAccountId : fields.userAccountId, bytes)
        return keyIDs.map { id in
            let key = interner.string(id)
            // The key's account: its ARN's, else (no key) the account whose trail logged the call.
            let owner = key.isEmpty ? recipient : KMSKeyReference.ownerAccount(ofARN: key)
            let (detail, flags) = LifecycleDetail.describe(eventName: event, request: request, ownerAccount: owner)
            return LifecycleEvent(
                time: when, key: key, eventName: event, principal: principal, callerAccount: caller,
                errorCode: errorCode, detail: detail, flags: flags)
        }
    }

    /// False when the raw request key field is surely not an alias: it
    /// does not start with `a` (a key id, `mrk-...`), or it is a key ARN,
    /// whose resource part `key/<id>` is always 40 bytes (a UUID or
    /// `mrk-` and 32 hex digits). Escaped values go the slow way. Inline:
    /// it runs for every KMS record that has a `keyId`.
    @inline(__always)
    static func mayBeAlias(_ slice: ByteSlice, _ bytes: JSONBytes) -> Bool {
        if slice.escaped { return true }
        // In bounds: the caller checked count > 6, and a key ARN test needs
        // count ≥ 41 (checked first).
        let p = bytes.base + slice.start
        guard p[0] == UInt8(ascii: "a") else { return false }
        if p[1] == UInt8(ascii: "l") { return true }  // alias/...
        let n = slice.count
        let keyARN =
            n >= 41 && p[n - 41] == UInt8(ascii: ":") && p[n - 40] == UInt8(ascii: "k")
            && p[n - 39] == UInt8(ascii: "e") && p[n - 38] == UInt8(ascii: "y") && p[n - 37] == UInt8(ascii: "/")
        return !keyARN
    }

    /// A record whose `requestParameters.keyId` is an alias and whose
    /// `resources[]` names exactly one key ARN (else `responseElements.keyId`
    /// is one) of the alias's own account and region, with a time: the
    /// alias pointed to that key then (docs/audit.md, "Alias resolution").
    /// Returns false when the interner is full. Out of line: most records
    /// that get here name a key id, not an alias.
    @inline(never)
    mutating func noteAliasObservation(_ fields: RecordFields, _ bytes: JSONBytes) -> Bool {
        let requested = view(fields.requestKeyId, bytes, valueScratch)
        guard KMSKeyReference.isAliasName(requested) || KMSKeyReference.isAliasARN(requested) else { return true }
        var key: ByteSlice?
        for arn in fields.resourceARNs where KMSKeyReference.isKeyARN(view(arn, bytes, extraScratch)) {
            if let found = key, !Self.sameValue(found, arn, bytes, self) { return true }  // two keys: ambiguous
            key = arn
        }
        if key == nil && fields.responseKeyId.isPresent
            && KMSKeyReference.isKeyARN(view(fields.responseKeyId, bytes, extraScratch))
        {
            key = fields.responseKeyId
        }
        guard let key, let time = eventTime(fields, bytes) else { return true }
        normalize(fields.requestKeyId, fields, bytes)
        let keyBytes = view(key, bytes, extraScratch)
        // An alias maps only to a key of its own partition, region and
        // account: the ARNs agree up to the resource part.
        let same = normalized.withUnsafeBytes { alias -> Bool in
            guard let a = KMSKeyReference.resourceStart(alias), let k = KMSKeyReference.resourceStart(keyBytes), a == k
            else { return false }
            return memoryEquals(alias.baseAddress!, keyBytes.baseAddress!, a)
        }
        guard same else { return true }
        guard let keyID = interner.intern(keyBytes),
            let aliasID = normalized.withUnsafeBytes({ interner.intern($0) })
        else { return false }
        let pair = UInt64(aliasID) << 32 | UInt64(keyID)
        if let span = pendingAliasObservations[pair] {
            pendingAliasObservations[pair] = (min(span.first, time), max(span.last, time))
        } else {
            pendingAliasObservations[pair] = (time, time)
        }
        return true
    }

    /// True when two slices hold the same decoded value.
    static func sameValue(_ a: ByteSlice, _ b: ByteSlice, _ bytes: JSONBytes, _ state: TallyState) -> Bool {
        let x = state.view(a, bytes, state.regionScratch)
        let y = state.view(b, bytes, state.accountScratch)
        return x.count == y.count && (x.count == 0 || memoryEquals(x.baseAddress!, y.baseAddress!, x.count))
    }

    /// A successful CreateAlias / UpdateAlias / DeleteAlias with a time.
    mutating func noteAliasChange(_ fields: RecordFields, _ bytes: JSONBytes) {
        guard !(fields.errorCode.isPresent && fields.errorCode.count > 0), fields.eventName.isPresent else { return }
        let name = view(fields.eventName, bytes, valueScratch)
        let deletes = Self.equals(name, "DeleteAlias")
        guard deletes || Self.equals(name, "CreateAlias") || Self.equals(name, "UpdateAlias"),
            let time = eventTime(fields, bytes)
        else { return }
        var alias: String?
        if fields.requestAliasName.count > 0 {
            normalize(fields.requestAliasName, fields, bytes)
            alias = String(decoding: normalized, as: UTF8.self)
        } else {
            for arn in fields.resourceARNs where KMSKeyReference.isAliasARN(view(arn, bytes, valueScratch)) {
                alias = string(arn, bytes)
                break
            }
        }
        guard let alias else { return }
        var target: String?
        if !deletes {
            for arn in fields.resourceARNs where KMSKeyReference.isKeyARN(view(arn, bytes, valueScratch)) {
                target = string(arn, bytes)
                break
            }
            if target == nil && fields.requestTargetKeyId.count > 0 {
                normalize(fields.requestTargetKeyId, fields, bytes)
                target = String(decoding: normalized, as: UTF8.self)
            }
            guard target != nil else { return }
        }
        pending.facts.aliasChanges.append(AliasChange(time: time, alias: alias, target: target))
    }

    /// A successful PutEventSelectors, StopLogging, StartLogging or
    /// DeleteTrail with a time and a trail name.
    mutating func noteSelectorChange(_ fields: RecordFields, _ bytes: JSONBytes) {
        guard !(fields.errorCode.isPresent && fields.errorCode.count > 0), fields.eventName.isPresent else { return }
        let name = view(fields.eventName, bytes, valueScratch)
        let cause: SelectorChange.Cause
        if Self.equals(name, "PutEventSelectors") {
            cause = .putEventSelectors
        } else if Self.equals(name, "StopLogging") {
            cause = .stopLogging
        } else if Self.equals(name, "StartLogging") {
            cause = .startLogging
        } else if Self.equals(name, "DeleteTrail") {
            cause = .deleteTrail
        } else {
            return
        }
        guard let time = eventTime(fields, bytes), !fields.requestParameters.isEmpty else { return }
        let span = UnsafeRawBufferPointer(
            start: bytes.base + fields.requestParameters.lowerBound, count: fields.requestParameters.count)
        guard let request = JSONValue.parse(span) else { return }
        var change = SelectorChange(
            time: time, trail: "", account: string(fields.recipientAccountId, bytes),
            region: string(fields.awsRegion, bytes), cause: cause)
        if cause == .putEventSelectors {
            guard let selectors = EventSelectors(request) else { return }
            change.trail = selectors.trailName
            change.logsReads = selectors.logsReads
            change.logsWrites = selectors.logsWrites
        } else {
            guard let trail = EventSelectors.trailName(request["name"]) else { return }
            change.trail = trail
        }
        pending.facts.selectorChanges.append(change)
    }
}
