// Signing digest files the way CloudTrail does, for generated trails and
// tests only: RSA PKCS#1 v1.5 with SHA-256 over the string to sign
// (`DigestFile.stringToSign`), hex-encoded. CloudTrail keeps the signature
// of digest N in its S3 object metadata and repeats it in digest N+1's
// previousDigestSignature; a local copy of the bucket has only the latter.
//
// The built-in key is a TEST KEY, published in this source file: a digest
// signed with it proves nothing about where it came from. It exists so that
// `trailscan generate` is deterministic (PKCS#1 v1.5 signatures are a
// function of key and message) and its trails verify end to end.

import _CryptoExtras
import Crypto
import TrailScanCore

/// Signs digest files with an RSA private key.
public struct DigestSigner: Sendable {
    private let key: _RSA.Signing.PrivateKey
    /// Hex MD5 of the PKCS#1 DER public key: the 32-hex-digit form of
    /// CloudTrail's `digestPublicKeyFingerprint` (the key is found by
    /// fingerprint, never by recomputing it, so the exact recipe does not
    /// matter to verification).
    public let fingerprint: String

    /// A signer with the key in `pem` (PKCS#1 or PKCS#8, 2048 bits or more).
    public init(pem: String) throws {
        key = try _RSA.Signing.PrivateKey(pemRepresentation: pem)
        fingerprint = Hex.encode(Insecure.MD5.hash(data: Array(key.publicKey.pkcs1DERRepresentation)))
    }

    /// The built-in test key (see the file header: proves nothing).
    public static let test: DigestSigner = {
        do {
            return try DigestSigner(pem: testKeyPEM)
        } catch {
            preconditionFailure("the built-in test key does not load: \(error)")
        }
    }()

    /// The hex signature of `message` (a digest's string to sign).
    public func signatureHex(_ message: [UInt8]) -> String {
        do {
            let signature = try key.signature(for: message, padding: .insecurePKCS1v1_5)
            return Hex.encode(Array(signature.rawRepresentation))
        } catch {
            // BoringSSL fails to sign only on allocation failure.
            preconditionFailure("RSA signing failed: \(error)")
        }
    }

    /// The public key as `aws cloudtrail list-public-keys` prints it
    /// (Value: base64 of the base64 text of the PKCS#1 DER key, as the CLI
    /// prints the API's blob), valid over `validity` (Unix seconds).
    public func listPublicKeysJSON(validity: ClosedRange<Int64>) -> String {
        let der = Array(key.publicKey.pkcs1DERRepresentation)
        let value = Base64.encode(Array(Base64.encode(der).utf8))
        return """
            {
                "PublicKeyList": [
                    {
                        "Value": "\(value)",
                        "ValidityStartTime": "\(UTCTime.iso8601(validity.lowerBound))",
                        "ValidityEndTime": "\(UTCTime.iso8601(validity.upperBound))",
                        "Fingerprint": "\(fingerprint)"
                    }
                ]
            }

            """
    }

    static let testKeyPEM = """
        -----BEGIN RSA PRIVATE KEY-----
        MIIEowIBAAKCAQEA2/wshA1qpTxVRDepGI1S2hlzIVLRCzviCbHbJJ1bUZh2vhDT
        J50a69Jw2alHo+jicz3nROkwwX0Q8e1CTWUkbcmiwaZfl33afEXaLa8QwdUKMLv4
        ye4Aaxo7jYcLQF8WU7Z2rGxwQSO7lCZHdrMiBcZ5oAgwfjIlcvAyXoHI3xZJjQiJ
        TschU8Dn73GEfwbDVdSf8AZr7IRlzeuCsWwp7qDpQNryfylk5JamfSBG+WFPICYM
        gD2kMj7riPPtlK33fxds+yxWSHIvUu5fRCQhdNNE5/HHSwasAq4xxgpZm84NPJf+
        WZNMd1ScEfT4cxoAllQU1rwZBXzonjydVJI1fQIDAQABAoIBAAns3+GzYBDr3tlj
        /Rw8LOh/OahF8TDL3ZNCmlivRHJmUFE1N1NNumwfNtoM0hknBdr3CFfqtFLxvoTg
        oUGwFj7H2EqOPZ9IEKzTuZgFePP6rza34tRr7+PlL2bfmKMP+m6be54+JEOkH5X7
        5ie7+R7mlhBud8Jx2ioZHhF3Uv9RqWClVat0qNzgpesL0caDFaQTACp7ET3RbOEh
        Oc58zsytZTbdihirYQrw8UNVE0AwqOp7Albit837symN5ItzW++DTYpn83GS9NCT
        TjmtluD2fTiJ4+feJHLpmxvP35GIGtPaRJaf4WA+xAzuGUgcDgJ80glKvrQulmyy
        RwnStCECgYEA9sL1ekNkmEM4HZuvbCRbieC0ztTrc7ioAjR/EBGY3F0q+QEEBMms
        h8ogkrpyOa3yzmBWwquegxaml1OXRbrxutGmtmyquXIyzx7DrBrnrsI+gFqpxDA8
        cO0Ntm2/poJVS7kx1Q1a2E+d4YdgDBG53Owe7VGogr5rdQbGmYS8IHECgYEA5DiU
        mlJtdbhUHf7vbwhR8z0EyLEzh5EkWiqR3P3qjNKgtVQPMJAj9xeSIvCLj6GDsBYO
        Q02XRNr7a9SmhfyHw4hSQmDEsDXw+PUwVgFmlIk8EiYJfazyAvXdmnwyaGILAW2g
        E/CXB9PcNVNOfeg+BrftcMEekLv9yg7BZzyta80CgYBhUdysvp2S65fbHYae+Ovd
        QfEtTY4a0q34SKoANWB7MId9MyhZlwxjdZVJKR1ZoEANorM1DahzfOBw+DfF+YfS
        rVK5ybu/bcmaJED5xJaxNsydpKQlyvxbcTKiS0B1tBtdxQlhRGYav7O9ub1opSkP
        d1RvNnBmOCF7QxPagh4MEQKBgQCK9WiGDmpXo0SUfwWKtaYwVJb1G/AkO1vHCuSF
        ipWl6RmxTt1w1FMRwGhandxcOBvWu5czo6rXYf50SaabLof7pqVvhTw9jpqK+7/S
        nke3aVgKNN7ShttUsh+cUMLgi9HnrLgra/KJ8ZXDYlYIk8Awlw0b+nqB5fVBcnqQ
        QYHWgQKBgCRv0p8jwbPkJ6WgdqX6dJ524Y45wd4Gh7Vrkir2VUWoVIQNWuLeAahs
        ccOGI5iNp404BAZM/ijHUE+mpSDOKdgHqfDtCoY+nq/4oQ7fSMuvIpblR91b7JYN
        Hphy500XZ7Vbr1Yi+g8hByL8cKPiZa0ZL9SoGpWjAc13i2nBD9XG
        -----END RSA PRIVATE KEY-----
        """
}
