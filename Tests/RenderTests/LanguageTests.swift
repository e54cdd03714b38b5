import Render
import Testing

@Suite struct LanguageTests {
    @Test func settingDefaultsToChinese() {
        #expect(Language(setting: nil) == .zh)
        #expect(Language(setting: "") == .zh)
        #expect(Language(setting: "fr") == .zh)
        #expect(Language(setting: "en") == .en)
        #expect(Language(setting: " EN ") == .en)
        #expect(Language(setting: "zh") == .zh)
    }

    @Test func pickChoosesTheLanguagesText() {
        #expect(Language.zh.pick("中文", "English") == "中文")
        #expect(Language.en.pick("中文", "English") == "English")
    }
}
