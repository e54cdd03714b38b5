import CLibPQ

extension ConnectionConfig {
    /// Whether libpq can read `conninfo` (a `postgresql://` URL or `key=value` settings) and
    /// its port is a number: checked before connecting, so a malformed URL is a usage
    /// error at once (issue 17) instead of a connection retried forever. Says only yes or
    /// no: libpq's reason may quote the value, password included.
    public static func isWellFormed(_ conninfo: String) -> Bool {
        var err: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &err) else {
            if let err { PQfreemem(err) }
            return false
        }
        defer { PQconninfoFree(options) }
        var i = 0
        while let keyword = options[i].keyword {
            if String(cString: keyword) == "port", let value = options[i].val {
                let port = String(cString: value)
                let ok = port.isEmpty || port.split(separator: ",", omittingEmptySubsequences: false).allSatisfy { p in
                    !p.isEmpty && p.count <= 5 && p.allSatisfy(\.isASCII) && p.allSatisfy(\.isNumber)
                }
                if !ok { return false }
            }
            i += 1
        }
        return true
    }

    /// `conninfo` with any password replaced by `***`, for a message or a log line.
    public static func redacted(_ conninfo: String) -> String {
        var s = conninfo
        // URL form: scheme://user:password@host
        if let scheme = s.range(of: "://"), let at = s[scheme.upperBound...].firstIndex(of: "@"),
           let colon = s[scheme.upperBound..<at].firstIndex(of: ":") {
            s.replaceSubrange(s.index(after: colon)..<at, with: "***")
        }
        // password=… as a query parameter or a keyword setting.
        for marker in ["password=", "password ="] {
            var search = s.startIndex
            while let r = s.range(of: marker, options: .caseInsensitive, range: search..<s.endIndex) {
                let end = s[r.upperBound...].firstIndex(where: { $0 == "&" || $0 == " " }) ?? s.endIndex
                s.replaceSubrange(r.upperBound..<end, with: "***")
                search = s.index(r.upperBound, offsetBy: 3, limitedBy: s.endIndex) ?? s.endIndex
            }
        }
        return s
    }
}
