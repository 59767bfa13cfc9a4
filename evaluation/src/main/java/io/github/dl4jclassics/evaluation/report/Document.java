package io.github.dl4jclassics.evaluation.report;

import io.github.dl4jclassics.common.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A report as a list of blocks, rendered twice: as a self-contained HTML page (CSS inline, images as base64 data
 * URIs, no scripts, no external resources) and as Markdown (images as links to the PNG files beside it).
 * One model keeps the two renderings from drifting apart.
 */
final class Document {

    sealed interface Block permits Heading, Paragraph, Table, Image, Preformatted {
    }

    record Heading(int level, String text) implements Block {
    }

    /** @param cssClass null, or a class of the stylesheet (e.g. "verdict PASS", "note") */
    record Paragraph(String text, String cssClass) implements Block {
    }

    /** @param numeric which columns hold numbers (right-aligned) */
    record Table(List<String> headers, List<List<String>> rows, boolean[] numeric) implements Block {
    }

    /** @param file a PNG file in the report's folder */
    record Image(Path file, String alt) implements Block {
    }

    /** Collapsed in HTML ({@code <details>}), a fenced block in Markdown. */
    record Preformatted(String summary, String text) implements Block {
    }

    private static final String CSS = """
            body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;max-width:1100px;margin:24px auto;\
            padding:0 20px;color:#222;line-height:1.45}
            h1{margin-bottom:4px}h2{border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
            table{border-collapse:collapse;margin:10px 0 18px;font-size:14px}
            th,td{border:1px solid #d0d0d0;padding:4px 10px;text-align:left;vertical-align:top}
            th{background:#f3f5f8}td.num{text-align:right;font-variant-numeric:tabular-nums}
            tr:nth-child(even) td{background:#fafbfc}
            img{max-width:100%;height:auto;border:1px solid #e3e3e3;margin:6px 0}
            .verdict{display:inline-block;font-size:18px;font-weight:bold;padding:6px 14px;border-radius:4px;color:#fff}
            .PASS{background:#2e7d32}.FAIL{background:#c62828}.NO_REFERENCE{background:#757575}
            .note{color:#555;font-size:13px}.muted{color:#777}
            pre{background:#f6f8fa;padding:10px;overflow-x:auto;font-size:12px}
            details{margin:8px 0 16px}summary{cursor:pointer;color:#1f5fa8}
            """;

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    Document(String title) {
        this.title = title;
    }

    Document heading(int level, String text) {
        blocks.add(new Heading(level, text));
        return this;
    }

    Document paragraph(String text) {
        return paragraph(text, null);
    }

    Document paragraph(String text, String cssClass) {
        blocks.add(new Paragraph(text, cssClass));
        return this;
    }

    Document table(List<String> headers, List<List<String>> rows, boolean... numeric) {
        boolean[] flags = new boolean[headers.size()];
        System.arraycopy(numeric, 0, flags, 0, Math.min(numeric.length, flags.length));
        blocks.add(new Table(headers, rows, flags));
        return this;
    }

    Document image(Path file, String alt) {
        blocks.add(new Image(file, alt));
        return this;
    }

    Document preformatted(String summary, String text) {
        blocks.add(new Preformatted(summary, text));
        return this;
    }

    String html() throws IOException {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Formats.html(title)).append("</title>\n<style>\n").append(CSS)
                .append("</style>\n</head>\n<body>\n");
        for (Block block : blocks) {
            if (block instanceof Heading h) {
                out.append("<h").append(h.level()).append('>').append(Formats.html(h.text()))
                        .append("</h").append(h.level()).append(">\n");
            } else if (block instanceof Paragraph p) {
                out.append(p.cssClass() == null ? "<p>" : "<p><span class=\"" + p.cssClass() + "\">")
                        .append(Formats.html(p.text())).append(p.cssClass() == null ? "</p>\n" : "</span></p>\n");
            } else if (block instanceof Table t) {
                out.append("<table>\n<tr>");
                for (String header : t.headers()) {
                    out.append("<th>").append(Formats.html(header)).append("</th>");
                }
                out.append("</tr>\n");
                for (List<String> row : t.rows()) {
                    out.append("<tr>");
                    for (int c = 0; c < row.size(); c++) {
                        boolean numeric = c < t.numeric().length && t.numeric()[c];
                        out.append(numeric ? "<td class=\"num\">" : "<td>").append(Formats.html(row.get(c))).append("</td>");
                    }
                    out.append("</tr>\n");
                }
                out.append("</table>\n");
            } else if (block instanceof Image i) {
                out.append("<p><img alt=\"").append(Formats.html(i.alt())).append("\" src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(Files.readAllBytes(i.file()))).append("\"></p>\n");
            } else if (block instanceof Preformatted p) {
                out.append("<details><summary>").append(Formats.html(p.summary()))
                        .append("</summary>\n<pre>").append(Formats.html(p.text())).append("</pre></details>\n");
            }
        }
        return out.append("</body>\n</html>\n").toString();
    }

    String markdown() {
        StringBuilder out = new StringBuilder();
        for (Block block : blocks) {
            if (block instanceof Heading h) {
                out.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            } else if (block instanceof Paragraph p) {
                out.append(p.cssClass() != null && p.cssClass().startsWith("verdict") ? "**" + p.text() + "**" : p.text())
                        .append("\n\n");
            } else if (block instanceof Table t) {
                out.append('|');
                for (String header : t.headers()) {
                    out.append(' ').append(Formats.markdownCell(header)).append(" |");
                }
                out.append("\n|");
                for (int c = 0; c < t.headers().size(); c++) {
                    out.append(c < t.numeric().length && t.numeric()[c] ? "---:|" : "---|");
                }
                out.append('\n');
                for (List<String> row : t.rows()) {
                    out.append('|');
                    for (String cell : row) {
                        out.append(' ').append(Formats.markdownCell(cell)).append(" |");
                    }
                    out.append('\n');
                }
                out.append('\n');
            } else if (block instanceof Image i) {
                out.append("![").append(i.alt()).append("](").append(i.file().getFileName()).append(")\n\n");
            } else if (block instanceof Preformatted p) {
                out.append("<details><summary>").append(p.summary()).append("</summary>\n\n```\n")
                        .append(p.text()).append("\n```\n\n</details>\n\n");
            }
        }
        return out.toString();
    }

    void write(Path htmlFile, Path markdownFile) throws IOException {
        AtomicFiles.writeString(htmlFile, html());
        AtomicFiles.writeString(markdownFile, markdown());
    }
}
