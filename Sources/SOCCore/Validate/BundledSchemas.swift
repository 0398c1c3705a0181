// The schemas in rules/, compiled into the tool so that it needs no files beside it.
// Keep in step with rules/*.schema.json: BundledSchemaTests fails when they differ.

/// The schemas soc-validate uses without `--schema`, written from the SPB-2508 and SOC-2508 cards.
public enum BundledSchemas {
    /// Where the bundled schemas pretend to live, so that the chat schema's relative
    /// `$ref: "spb-persona.schema.json"` finds the persona schema.
    public static let baseURI = "https://soc-tools.invalid/rules/"

    /// rules/spb-persona.schema.json
    public static let personaText = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "SPB-2508 persona",
  "description": "One persona of the Synthetic Persona Bank, as its dataset card describes it. Written for soc-validate; checks a schema cannot express (duplicate ids) are soc-validate's own.",
  "type": "object",
  "required": ["name", "username", "age", "traits", "background", "chatting_style", "model", "id"],
  "properties": {
    "name": { "type": "string", "minLength": 1, "description": "Full name." },
    "username": { "type": ["string", "null"], "minLength": 1, "description": "Online handle, or null." },
    "age": { "type": "integer", "minimum": 16, "maximum": 100, "description": "Professions carry age bounds between 18 and 90; 16 to 100 is what we accept as plausible." },
    "traits": {
      "type": "array",
      "minItems": 3,
      "maxItems": 5,
      "items": { "type": "string", "minLength": 1 },
      "description": "3 to 5 adjectives."
    },
    "background": { "type": "string", "minLength": 1 },
    "chatting_style": { "type": "string", "minLength": 1 },
    "model": { "type": "string", "minLength": 1 },
    "id": { "$ref": "#/$defs/hex32" }
  },
  "additionalProperties": false,
  "$defs": {
    "hex32": {
      "type": "string",
      "pattern": "^[0-9a-f]{32}$",
      "description": "A uuid4 as 32 lowercase hexadecimal digits (uuid4().hex)."
    }
  }
}
"""#

    /// rules/soc-chat.schema.json
    public static let chatText = #"""
{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "SOC-2508 chat",
  "description": "One chat of Synthetic Online Conversations, as its dataset card describes it. Turn counts, senders, chat_id agreement, empty messages and tags are checked by soc-validate itself, with their own reason codes.",
  "type": "object",
  "required": ["chat_id", "experience", "chat_parts", "model"],
  "properties": {
    "chat_id": {
      "type": "string",
      "pattern": "^[0-9a-f]{32}_[0-9a-f]{32}_[0-9]+$",
      "description": "<persona1.id>_<persona2.id>_<unix seconds>."
    },
    "experience": {
      "type": "object",
      "required": ["persona1", "persona2", "relationship", "situation", "topic", "id"],
      "properties": {
        "persona1": { "$ref": "spb-persona.schema.json" },
        "persona2": { "$ref": "spb-persona.schema.json" },
        "relationship": { "type": "string", "minLength": 1 },
        "situation": { "type": "string", "minLength": 1 },
        "topic": { "type": "string", "minLength": 1 },
        "id": { "type": "string", "pattern": "^[0-9a-f]{32}$" }
      },
      "additionalProperties": false
    },
    "chat_parts": {
      "type": "array",
      "items": {
        "type": "object",
        "required": ["sender", "messages"],
        "properties": {
          "sender": { "type": "string", "pattern": "^[0-9a-f]{32}$" },
          "messages": { "type": "array", "minItems": 1, "items": { "type": "string" } }
        },
        "additionalProperties": false
      }
    },
    "model": { "type": "string", "minLength": 1 }
  },
  "additionalProperties": false
}
"""#

    static func parse(_ text: String) -> JSONValue {
        guard case .success(let value) = JSONValue.parse(Array(text.utf8)) else { preconditionFailure("bundled schema is not JSON") }
        return value
    }

    /// The compiled SPB persona schema.
    public static func persona(strictFormat: Bool = false) throws(SchemaError) -> JSONSchema {
        try JSONSchema(value: parse(personaText), baseURI: baseURI + "spb-persona.schema.json", options: JSONSchema.Options(strictFormat: strictFormat))
    }

    /// The compiled SOC chat schema (with the persona schema it refers to).
    public static func chat(strictFormat: Bool = false) throws(SchemaError) -> JSONSchema {
        let options = JSONSchema.Options(strictFormat: strictFormat, documents: [(baseURI + "spb-persona.schema.json", parse(personaText))])
        return try JSONSchema(value: parse(chatText), baseURI: baseURI + "soc-chat.schema.json", options: options)
    }
}
