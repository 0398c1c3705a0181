/// The default rule files, built into the executable so that it runs from anywhere. They are
/// the files under `rules/scrub/` byte for byte (a test compares them); after editing those,
/// run `python3 rules/embed_defaults.py`.
public enum DefaultRules {
    /// File name and text of each default rule file, in the order they are loaded.
    public static let files: [(name: String, text: String)] = [
        ("chat.rules", #"""
# soc-scrub default rules for SOC chat messages (format: rules/README.md).
# Rules run in this order on every message; each sees the messages the earlier ones left,
# so a message split off by a tag rule is checked for a speaker label too. After the rules,
# every message is trimmed and an empty one is dropped (a part left empty is dropped too, and
# the parts around it are merged when one sender wrote both).
# Every pattern runs in time linear in the message: a tag's content is scanned only up to the
# next tag of its name ((?:(?!</?audio>).)*+), never to the end of the message once per tag.

[end-tag-last]
description: an <end/> that a tag after it would leave before other messages moves to the end of the message
pattern: <end/>\s*+(?=(?:(?!<end/>).)*+\z)(?=.*?(?:<audio>(?:(?!</?audio>).)*+</audio>|<delay\b[^<>]*+(?<=/)>|<(image|gif|video)>(?:(?!</?\1>).)*+</\1>))(.*)
replace: $2 <end/>
flags: dotall

[tag-audio-delay]
description: <audio>…</audio> and <delay …/> become messages of their own (an <end/> after them too)
pattern: <audio>(?:(?!</?audio>).)*+</audio>|<delay\b[^<>]*+(?<=/)>
replace: {break}$0{break}
flags: dotall

[tag-media-caption]
description: <image>, <gif> and <video> start a new message that keeps the caption after the tag
pattern: <(image|gif|video)>(?:(?!</?\1>).)*+</\1>
replace: {break}$0
flags: dotall

[speaker-label]
description: a speaker label (either persona's full name, first name or username, in any case or normalization) at the start of a line
pattern: ^[ \t]*+(?:\*\*|\[)?@?{persona}(?:\*\*|\])?[ \t]*:(?:\*\*)?(?:[ \t]+|$|(?![)(/\\|\[\]<>*'\-])(?![\p{L}\p{N}](?!\p{L})))
replace:
flags: multiline
"""# + "\n"),
        ("persona.rules", #"""
# soc-scrub default rules for SPB persona records (format: rules/README.md).
# The SPB card keeps the handle in `username` so that it stays out of `name`.

[persona-username-in-name]
description: the persona's own username leaked into its name: @handle, (handle), [handle], or a bare handle with a digit, '_' or '.'
applies-to: persona-name
pattern: [ \t]*(?:[(\[]@?{username}[)\]]|(?<![\w.])@{username}|(?<![\w.@])(?=[\w.]*[\d_.]){username})(?![\w.])
flags: caseless

[persona-handle-in-name]
description: any other @handle in a persona's name
applies-to: persona-name
pattern: [ \t]*[(\[]?(?<![\w.])@[\w.]*\w[)\]]?
"""# + "\n"),
    ]
}
