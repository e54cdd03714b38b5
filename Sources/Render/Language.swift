import Synchronization

/// The language of every message a person reads (CONTRACT.md §1): `--lang zh|en`,
/// else `JOBMATCH_LANG`, else Simplified Chinese. Render reads no environment:
/// the command line resolves the setting once (`Language(setting:)`) and
/// `choose`s it; a caller serving many people (the web) passes a language to
/// each function instead of relying on `current`.
public enum Language: String, Sendable, CaseIterable, Hashable {
    case zh, en

    /// The language a setting names; nil, empty or unknown is Chinese.
    public init(setting: String?) {
        self = setting.flatMap { Language(rawValue: String($0.lowercased().filter { !$0.isWhitespace })) } ?? .zh
    }

    private static let chosen = Atomic<UInt8>(0)

    /// The process's language, `zh` until `choose` is called.
    public static var current: Language { chosen.load(ordering: .relaxed) == 1 ? .en : .zh }

    /// Sets the process's language (the CLI, once, before any message).
    public static func choose(_ language: Language) { chosen.store(language == .en ? 1 : 0, ordering: .relaxed) }

    /// The text of this language: `lang.pick("中文", "English")`.
    @inlinable public func pick(_ zh: @autoclosure () -> String, _ en: @autoclosure () -> String) -> String {
        self == .zh ? zh() : en()
    }
}
