/// The published meta-schemas of every supported draft (rules/metaschemas/, MIT, from the
/// `jsonschema-specifications` package; the text is `BundledMetaSchemaFiles`), so that a schema
/// that `$ref`s one (`"$ref": "http://json-schema.org/draft-07/schema#"`) resolves without a
/// network. They are found by their `$id`, with `http` and `https` taken as one.
enum BundledMetaSchemas {
    /// Scheme-less URI (`json-schema.org/draft-07/schema`) → (the `$id` as published, file name).
    /// Built from the file names, which follow the URIs, so that no file is parsed until a schema
    /// refers to it (parsing all 19 cost every start 7M instructions; BundledSchemaTests checks
    /// each file's `$id` against its name).
    private static let table: [String: (uri: String, file: String)] = {
        var table: [String: (uri: String, file: String)] = [:]
        for file in BundledMetaSchemaFiles.files {
            let uri = publishedURI(file.name)
            table[schemeless(uri)] = (uri, file.name)
        }
        return table
    }()

    /// `draft2020-12/meta/core.json` → `https://json-schema.org/draft/2020-12/meta/core`;
    /// `draft-07/schema.json` → `http://json-schema.org/draft-07/schema` (as published).
    static func publishedURI(_ file: String) -> String {
        let name = file.hasSuffix(".json") ? String(file.dropLast(5)) : file
        if name.hasPrefix("draft20") { return "https://json-schema.org/draft/" + name.dropFirst(5) }
        return "http://json-schema.org/" + name
    }

    private static func schemeless(_ uri: String) -> String {
        if uri.hasPrefix("https://") { return String(uri.dropFirst(8)) }
        if uri.hasPrefix("http://") { return String(uri.dropFirst(7)) }
        return uri
    }

    /// The published URI of the bundled meta-schema `document` (a fragment-free URI) names, if any.
    static func canonicalURI(_ document: String) -> String? {
        guard document.contains("json-schema.org/") else { return nil }
        return table[schemeless(document)]?.uri
    }

    /// The bundled meta-schema whose published URI is `document`, parsed.
    static func document(_ document: String) -> JSONValue? {
        guard let entry = table[schemeless(document)], entry.uri == document else { return nil }
        return BundledSchemas.parse(BundledMetaSchemaFiles.text(entry.file))
    }
}
