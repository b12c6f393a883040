// Object keys of the S3 trail layout (docs/counting.md ("Which files")):
//
//   AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
//       <account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<16 alnum>.json.gz
//   AWSLogs/<o-orgid>/<account>/CloudTrail/...            (organization trails)
//   AWSLogs/[<o-orgid>/]<account>/CloudTrail-Digest/<region>/YYYY/MM/DD/
//       <account>_CloudTrail-Digest_<region>_<trail>_<home region>_<YYYYMMDDTHHMMSSZ>.json.gz

enum TrailLayout {
    /// `AWSLogs/[<o-orgid>/]<account>/`
    static func accountPrefix(_ world: World, account: Int) -> [UInt8] {
        var out = Array("AWSLogs/".utf8)
        if world.accounts[account].inOrganization {
            out += world.organizationID
            out.append(UInt8(ascii: "/"))
        }
        out += world.accounts[account].id
        out.append(UInt8(ascii: "/"))
        return out
    }

    /// The key of a log file of `stream` delivered at `delivery`.
    static func logPath(_ world: World, stream: Int, delivery: Int64, unique: [UInt8]) -> [UInt8] {
        let accountIndex = world.streams[stream].account
        let account = world.accounts[accountIndex]
        let region = world.regions[world.streams[stream].region]
        let date = CivilDate(epochSeconds: delivery)
        var out = accountPrefix(world, account: accountIndex)
        out += Array("CloudTrail/".utf8)
        out += region.name
        out.append(UInt8(ascii: "/"))
        date.appendDatePath(to: &out)
        out.append(UInt8(ascii: "/"))
        out += account.id
        out += Array("_CloudTrail_".utf8)
        out += region.name
        out.append(UInt8(ascii: "_"))
        date.appendFileStamp(to: &out)
        out.append(UInt8(ascii: "_"))
        out += unique
        out += Array(".json.gz".utf8)
        return out
    }

    /// The key of the digest file of `stream` stamped `stamp`.
    static func digestPath(_ world: World, stream: Int, stamp: Int64) -> [UInt8] {
        let accountIndex = world.streams[stream].account
        let account = world.accounts[accountIndex]
        let region = world.regions[world.streams[stream].region]
        let date = CivilDate(epochSeconds: stamp)
        var out = accountPrefix(world, account: accountIndex)
        out += Array("CloudTrail-Digest/".utf8)
        out += region.name
        out.append(UInt8(ascii: "/"))
        date.appendDatePath(to: &out)
        out.append(UInt8(ascii: "/"))
        out += account.id
        out += Array("_CloudTrail-Digest_".utf8)
        out += region.name
        out.append(UInt8(ascii: "_"))
        out += account.trailName
        out.append(UInt8(ascii: "_"))
        out += world.regions[account.homeRegion].name
        out.append(UInt8(ascii: "_"))
        date.appendFileStamp(to: &out, seconds: true)
        out += Array(".json.gz".utf8)
        return out
    }

    /// The bucket the trail delivers to.
    static func bucket(_ world: World, account: Int) -> [UInt8] {
        let a = world.accounts[account]
        if a.inOrganization {
            return Array("aws-controltower-logs-".utf8) + world.organizationID
        }
        return Array("aws-cloudtrail-logs-".utf8) + a.id
    }
}
