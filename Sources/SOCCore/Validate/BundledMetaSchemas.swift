/// The published meta-schemas of every supported draft (rules/metaschemas/, MIT, from the
/// `jsonschema-specifications` package; the text is `BundledMetaSchemaFiles`), so that a schema
/// that `$ref`s one (`"$ref": "http://json-schema.org/draft-07/schema#"`) resolves without a
/// network. They are found by their `$id`, with `http` and `https` taken as one.
enum BundledMetaSchemas {
    /// Scheme-less URI (`json-schema.org/draft-07/schema`) → (the `$id` as published, file name).
    private static let table: [String: (uri: String, file: String)] = {
        var table: [String: (uri: String, file: String)] = [:]
        for file in BundledMetaSchemaFiles.files {
            let value = BundledSchemas.parse(file.text)
            guard var id = (value["$id"] ?? value["id"])?.stringValue else { continue }
            if id.hasSuffix("#") { id.removeLast() }
            table[schemeless(id)] = (id, file.name)
        }
        return table
    }()

    private static func schemeless(_ uri: String) -> String {
        if uri.hasPrefix("https://") { return String(uri.dropFirst(8)) }
        if uri.hasPrefix("http://") { return String(uri.dropFirst(7)) }
        return uri
    }

    /// The published URI of the bundled meta-schema `document` (a fragment-free URI) names, if any.
    static func canonicalURI(_ document: String) -> String? {
        table[schemeless(document)]?.uri
    }

    /// The bundled meta-schema whose published URI is `document`, parsed.
    static func document(_ document: String) -> JSONValue? {
        guard let entry = table[schemeless(document)], entry.uri == document else { return nil }
        return BundledSchemas.parse(BundledMetaSchemaFiles.text(entry.file))
    }
}
