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
}
