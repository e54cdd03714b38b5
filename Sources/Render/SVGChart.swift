import Foundation

/// Bar charts as inline SVG, drawn from values alone (no scripts, no fonts or
/// images fetched): vertical bars (stacked or grouped) and horizontal bars
/// with an optional reference line. Geometry is in Double; the numbers shown
/// as text come from the caller's formatter, so exact figures stay exact.
public enum SVGChart {
    /// One series: a legend name, a colour, one value per category.
    public struct Series: Sendable {
        public var name: String
        public var color: String
        public var values: [Double]
        public init(name: String, color: String, values: [Double]) { self.name = name; self.color = color; self.values = values }
    }

    /// Escapes text for XML and HTML.
    public static func escape(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "&": out += "&amp;"; case "<": out += "&lt;"; case ">": out += "&gt;"; case "\"": out += "&quot;"; case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    static func n(_ x: Double) -> String { String(format: "%.1f", x) }

    /// A "nice" axis maximum ≥ `v` with four equal steps of 1, 2 or 5 × 10^k,
    /// so tick labels are round numbers (counts stay whole).
    static func niceMax(_ v: Double) -> Double {
        guard v > 0 else { return 4 }
        let raw = v / 4
        let p = pow(10, floor(log10(raw)))
        for m in [1.0, 2.0, 5.0, 10.0] where m * p >= raw { return 4 * max(m * p, raw < 1 && v >= 1 ? 1 : m * p) }
        return 40 * p
    }

    /// Groups the thousands of a whole number: `589,540`.
    public static func grouped(_ v: Double) -> String {
        let digits = String(Int64(v.rounded()).magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (v < 0 ? "-" : "") + out
    }

    static func legend(_ series: [Series], x: Double, y: Double) -> String {
        var out = "", cx = x
        for s in series {
            out += "<rect x=\"\(n(cx))\" y=\"\(n(y - 10))\" width=\"12\" height=\"12\" fill=\"\(s.color)\"/>"
            out += "<text x=\"\(n(cx + 16))\" y=\"\(n(y))\" font-size=\"12\">\(escape(s.name))</text>"
            cx += 28 + Double(s.name.count) * 13
        }
        return out
    }

    /// Vertical bars per category: stacked (parts of a whole) or grouped.
    public static func verticalBars(title: String, categories: [String], series: [Series], stacked: Bool,
                                    format: (Double) -> String, width: Double = 640, height: Double = 300) -> String {
        let left = 56.0, right = 16.0, top = 48.0, bottom = 40.0
        let plotW = width - left - right, plotH = height - top - bottom
        let totals = categories.indices.map { i in
            stacked ? series.reduce(0) { $0 + $1.values[i] } : series.map { $0.values[i] }.max() ?? 0
        }
        let maxV = niceMax(totals.max() ?? 0)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(escape(title))\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"sans-serif\">"
        svg += "<title>\(escape(title))</title>"
        svg += "<text x=\"\(n(left))\" y=\"18\" font-size=\"14\" font-weight=\"bold\">\(escape(title))</text>"
        svg += legend(series, x: left, y: 38)
        for k in 0...4 {
            let v = maxV * Double(k) / 4, y = top + plotH - plotH * Double(k) / 4
            svg += "<line x1=\"\(n(left))\" y1=\"\(n(y))\" x2=\"\(n(left + plotW))\" y2=\"\(n(y))\" stroke=\"#ddd\"/>"
            svg += "<text x=\"\(n(left - 6))\" y=\"\(n(y + 4))\" font-size=\"11\" text-anchor=\"end\">\(escape(format(v)))</text>"
        }
        let slot = plotW / Double(max(categories.count, 1))
        for (i, cat) in categories.enumerated() {
            let x0 = left + slot * Double(i)
            if stacked {
                var base = top + plotH
                let w = slot * 0.6
                for s in series where s.values[i] > 0 {
                    let h = plotH * s.values[i] / maxV
                    base -= h
                    svg += "<rect x=\"\(n(x0 + slot * 0.2))\" y=\"\(n(base))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"\(s.color)\"><title>\(escape("\(cat) \(s.name)：\(format(s.values[i]))"))</title></rect>"
                }
                svg += "<text x=\"\(n(x0 + slot / 2))\" y=\"\(n(base - 4))\" font-size=\"11\" text-anchor=\"middle\">\(escape(format(totals[i])))</text>"
            } else {
                let w = slot * 0.7 / Double(max(series.count, 1))
                for (j, s) in series.enumerated() {
                    let h = plotH * s.values[i] / maxV
                    let x = x0 + slot * 0.15 + w * Double(j)
                    svg += "<rect x=\"\(n(x))\" y=\"\(n(top + plotH - h))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"\(s.color)\"><title>\(escape("\(cat) \(s.name)：\(format(s.values[i]))"))</title></rect>"
                    svg += "<text x=\"\(n(x + w / 2))\" y=\"\(n(top + plotH - h - 4))\" font-size=\"10\" text-anchor=\"middle\">\(escape(format(s.values[i])))</text>"
                }
            }
            svg += "<text x=\"\(n(x0 + slot / 2))\" y=\"\(n(top + plotH + 16))\" font-size=\"12\" text-anchor=\"middle\">\(escape(cat))</text>"
        }
        svg += "<line x1=\"\(n(left))\" y1=\"\(n(top + plotH))\" x2=\"\(n(left + plotW))\" y2=\"\(n(top + plotH))\" stroke=\"#333\"/>"
        return svg + "</svg>"
    }

    /// Horizontal bars, one row per label, segments stacked; an optional
    /// dashed reference line (e.g. the 1.6 % quota ratio) with its label.
    public static func horizontalBars(title: String, labels: [String], series: [Series], format: (Double) -> String,
                                      reference: (value: Double, label: String)? = nil, colors: [String]? = nil,
                                      cap: Double? = nil, width: Double = 640) -> String {
        let left = 210.0, right = 70.0, top = 48.0, row = 22.0, bottom = 28.0
        let plotW = width - left - right
        let height = top + row * Double(labels.count) + bottom
        let totals = labels.indices.map { i in series.reduce(0) { $0 + $1.values[i] } }
        // With a cap, rows beyond it are drawn to the edge and marked "//", so a
        // few outliers do not squash the rest (their labels keep the true value).
        let maxV = niceMax(min(max(totals.max() ?? 0, (reference?.value ?? 0) * 1.15), cap ?? .infinity))
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"\(escape(title))\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"sans-serif\">"
        svg += "<title>\(escape(title))</title>"
        svg += "<text x=\"8\" y=\"18\" font-size=\"14\" font-weight=\"bold\">\(escape(title))</text>"
        if series.count > 1 { svg += legend(series, x: left, y: 38) }
        for k in 0...4 {
            let x = left + plotW * Double(k) / 4
            svg += "<line x1=\"\(n(x))\" y1=\"\(n(top))\" x2=\"\(n(x))\" y2=\"\(n(height - bottom))\" stroke=\"#eee\"/>"
            svg += "<text x=\"\(n(x))\" y=\"\(n(height - bottom + 14))\" font-size=\"10\" text-anchor=\"middle\">\(escape(format(maxV * Double(k) / 4)))</text>"
        }
        for (i, label) in labels.enumerated() {
            let y = top + row * Double(i)
            let shown = label.count > 15 ? String(label.prefix(14)) + "…" : label
            svg += "<text x=\"\(n(left - 6))\" y=\"\(n(y + row * 0.65))\" font-size=\"11\" text-anchor=\"end\">\(escape(shown))<title>\(escape(label))</title></text>"
            var x = left
            let squeeze = totals[i] > maxV ? maxV / totals[i] : 1
            for s in series where s.values[i] > 0 {
                let w = plotW * s.values[i] * squeeze / maxV
                let color = series.count == 1 ? (colors?[i] ?? s.color) : s.color
                svg += "<rect x=\"\(n(x))\" y=\"\(n(y + 3))\" width=\"\(n(w))\" height=\"\(n(row - 6))\" fill=\"\(color)\"><title>\(escape("\(label) \(s.name)：\(format(s.values[i]))"))</title></rect>"
                x += w
            }
            if squeeze < 1 {
                svg += "<text x=\"\(n(x - 14))\" y=\"\(n(y + row * 0.7))\" font-size=\"12\" fill=\"#fff\" font-weight=\"bold\">//</text>"
            }
            // The value's label, moved past the reference line when it would sit on it (issue 15).
            let text = format(totals[i])
            var labelX = x + 4
            if let reference {
                let refX = left + plotW * reference.value / maxV
                if labelX - 2 <= refX + 2 && refX - 2 <= labelX + Self.textWidth(text, size: 10) { labelX = refX + 5 }
            }
            svg += "<text x=\"\(n(labelX))\" y=\"\(n(y + row * 0.65))\" font-size=\"10\">\(escape(text))</text>"
        }
        if let reference {
            let x = left + plotW * reference.value / maxV
            svg += "<line x1=\"\(n(x))\" y1=\"\(n(top - 6))\" x2=\"\(n(x))\" y2=\"\(n(height - bottom))\" stroke=\"#c62828\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>"
            svg += "<text x=\"\(n(x + 4))\" y=\"\(n(top - 8))\" font-size=\"11\" fill=\"#c62828\">\(escape(reference.label))</text>"
        }
        svg += "<line x1=\"\(n(left))\" y1=\"\(n(top))\" x2=\"\(n(left))\" y2=\"\(n(height - bottom))\" stroke=\"#333\"/>"
        return svg + "</svg>"
    }

    /// A generous estimate of a label's width: 0.62 em a Latin character, 1 em a CJK one.
    public static func textWidth(_ s: String, size: Double) -> Double {
        s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? size : size * 0.62) }
    }
}
