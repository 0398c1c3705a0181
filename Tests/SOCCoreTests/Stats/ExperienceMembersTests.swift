import Testing

@testable import SOCCore

@Suite struct ExperienceMembersTests {
    /// The one-pass reading finds what `JSONDocument.member` finds: the last of a repeated key,
    /// escaped keys by their unescaped text, nothing for a missing key.
    @Test func findsWhatMemberFinds() {
        let lines = [
            #"{"persona1":{"id":"a"},"persona2":{"id":"b"},"relationship":"r","situation":"s","topic":"t"}"#,
            #"{"topic":"t1","persona1":1,"topic":"t2","persona\u0032":2,"situatio\u006e":3,"relationships":4}"#,
            #"{"persona":1,"persona3":2,"Topic":3,"topi":4}"#, "{}",
        ]
        let parser = JSONParser()
        for line in lines {
            let bytes = Array(line.utf8)
            bytes.withUnsafeBytes { raw in
                guard case .success(let document) = parser.parse(raw) else {
                    Issue.record("fixture does not parse: \(line)")
                    return
                }
                let root = document.root
                let members = ExperienceMembers(document, root)
                #expect(members.persona1 == document.member(root, "persona1" as StaticString), "\(line)")
                #expect(members.persona2 == document.member(root, "persona2" as StaticString), "\(line)")
                #expect(members.relationship == document.member(root, "relationship" as StaticString), "\(line)")
                #expect(members.situation == document.member(root, "situation" as StaticString), "\(line)")
                #expect(members.topic == document.member(root, "topic" as StaticString), "\(line)")
            }
        }
    }
}
