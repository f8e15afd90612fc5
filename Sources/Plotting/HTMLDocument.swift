/// The frame of the project's HTML pages (the report, the fidelity page): self-contained, inline
/// CSS, inline SVG figures, no scripts, no network.
public enum HTMLDocument {
    public static let css = """
        body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1280px; color: #222; padding: 0 16px; }
        h1 { font-size: 24px; margin-bottom: 4px; } h2 { font-size: 19px; margin-top: 36px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        .sizes { background: #fff4d6; border: 1px solid #e8c860; padding: 6px 10px; display: inline-block; }
        table.limits { border-collapse: collapse; font-size: 14px; margin: 12px 0; }
        table.limits th, table.limits td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; white-space: nowrap; }
        table.limits td.name { text-align: left; } table.limits th { background: #f0f0f0; }
        table.limits .paper { color: #777; font-size: 11px; } table.limits .paper b { font-weight: normal; } table.limits sup, table.limits sub { font-size: 10px; }
        figure { margin: 18px 0 28px 0; } figure svg { max-width: 100%; height: auto; border: 1px solid #eee; }
        figcaption { font-size: 14px; color: #444; margin-top: 6px; max-width: 1000px; }
        .files a { margin-right: 10px; font-size: 13px; } ul.notes li { color: #8a5a00; }
        nav a { margin-right: 12px; font-size: 14px; }
        """

    /// A self-contained page in the report's style: the head with its CSS, then `body`.
    public static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(SVG.escape(title))</title>
        <style>
        \(css)
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }
}
