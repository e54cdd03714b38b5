import Checksum
import Domain
import Testing

@Suite("Identity numbers")
struct IdentityTests {
    /// A resident ID with its correct check character, for a region, birth date and sequence.
    static func residentID(_ head17: String) -> String {
        head17 + String(ResidentID.checkCharacter(for: Array(head17.utf8)))
    }

    @Test("the GB 11643 example 11010519491231002X is valid, female, born 1949-12-31")
    func standardExample() throws {
        let id = try ResidentID("11010519491231002x")
        #expect(id.value == "11010519491231002X")
        #expect(id.sex == .female)
        #expect(id.birthDate == CivilDate(year: 1949, month: 12, day: 31))
    }

    @Test("a wrong check character is refused")
    func wrongCheck() {
        #expect(throws: IdentityError.badCheckCharacter) { try ResidentID("110105194912310021") }
    }

    @Test("an impossible or future birth date is refused")
    func birthDates() {
        let feb30 = Self.residentID("41030719800230001")
        #expect(throws: IdentityError.badBirthDate) { try ResidentID(feb30) }
        let future = Self.residentID("41030720300101001")
        #expect(throws: IdentityError.birthDateInFuture) { try ResidentID(future, today: CivilDate(year: 2026, month: 11, day: 29)!) }
    }

    @Test("wrong lengths and characters are refused", arguments: ["4103071980010100", "41030719800101001A", "4103071980010100１X"])
    func malformed(text: String) {
        #expect(throws: IdentityError.self) { try ResidentID(text) }
    }

    @Test("a certificate number is the ID, category 1–7 and grade 1–4, with an optional reissue suffix")
    func certificate() throws {
        let id = Self.residentID("41030719800101001")
        let c = try CertificateNumber(id + "42")
        #expect(c.category == .physical)
        #expect(c.grade == 2)
        #expect(c.key == id + "42")
        #expect(c.reissue == nil)
        let reissued = try CertificateNumber(id + "42B2")
        #expect(reissued.reissue == 2)
        #expect(reissued.key == c.key)
        #expect(reissued.printed == id + "42B2")
        #expect(c.masked == "410307********" + id.suffix(4) + "**", "category and grade hidden (CONTRACT.md §5)")
        #expect(throws: IdentityError.badDisabilityCategory) { try CertificateNumber(id + "82") }
        #expect(throws: IdentityError.badDisabilityCategory) { try CertificateNumber(id + "02") }
        #expect(throws: IdentityError.badDisabilityGrade) { try CertificateNumber(id + "45") }
        #expect(throws: IdentityError.badDisabilityGrade) { try CertificateNumber(id + "40") }
        #expect(throws: IdentityError.badReissueSuffix) { try CertificateNumber(id + "42B") }
        #expect(throws: IdentityError.badReissueSuffix) { try CertificateNumber(id + "42C1") }
        #expect(throws: IdentityError.self) { try CertificateNumber(id + "4") }
    }

    @Test("a unified social credit code carries a GB 32100 check character")
    func creditCode() throws {
        let head = "91410381MA9FXXXX0"
        let check = try #require(CreditCode.checkCharacter(for: Array(head)))
        let code = try CreditCode((head + String(check)).lowercased())
        #expect(code.value == head + String(check))
        let wrong = CreditCode.alphabet.first { $0 != check }!
        #expect(throws: IdentityError.badCheckCharacter) { try CreditCode(head + String(wrong)) }
        #expect(throws: IdentityError.badCharacter(position: 9)) { try CreditCode("91410381I9FXXXX00X") }
        #expect(throws: IdentityError.wrongLength(expected: 18, actual: 5)) { try CreditCode("91410") }
    }

    @Test("masking keeps what the contract allows and nothing more")
    func masking() {
        #expect(Masking.identifier("41030719800101001X") == "410307********001X")
        #expect(Masking.identifier("41030719800101001X51") == "410307********001X**")
        #expect(Masking.identifier("41030719800101001X51B2") == "410307********001X**B2")
        #expect(Masking.identifier("12345678") == "********")
        #expect(Masking.identifier("证号一二三四五六七八九") == "证号一二三四*六七八九")  // by characters, not bytes
        #expect(Masking.phone("13900001234") == "139****1234")
        #expect(Masking.name("张三") == "张**")
        #expect(Masking.name("欧阳娜娜") == "欧***")
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test("known digests (FIPS 180-4 examples)", arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
    ])
    func digests(input: String, hex: String) {
        #expect(SHA256.hex(Array(input.utf8)) == hex)
    }

    @Test("a million a's")
    func million() {
        var h = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { h.update(chunk) }
        #expect(h.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test("chunks of any size, contiguous or not, give the one-shot digest")
    func chunked() {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let whole = SHA256.hex(bytes)
        #expect(whole == SHA256.hex(bytes.lazy.map { $0 }))  // the byte-by-byte path
        for size in [1, 3, 63, 64, 65, 127, 200, 999] {
            var h = SHA256()
            var i = 0
            var contiguous = true
            while i < bytes.count {
                let piece = bytes[i..<min(bytes.count, i + size)]
                if contiguous { h.update(Array(piece)) } else { h.update(piece.lazy.map { $0 }) }
                contiguous.toggle()
                i += size
            }
            #expect(h.finalizeHex() == whole, "chunk size \(size)")
        }
    }
}
