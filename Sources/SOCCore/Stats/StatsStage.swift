/// The output forms of soc-stats.
public enum StatsFormat: String, CaseIterable, Sendable {
    /// A section for a dataset card (README.md).
    case md
    /// A whole Hugging Face dataset card: YAML header and Markdown sections (`DatasetCard`).
    case card
    /// The mergeable JSON document.
    case json
    /// One self-contained HTML page with SVG histograms.
    case html

    /// Renders `stats` in this form; `funnel` (from `--reports`) adds the cleaning funnel to
    /// the Markdown, HTML and card forms, `card` the card's own settings.
    public func render(_ stats: StatsDocument, funnel: CleaningFunnel? = nil, card: DatasetCard.Settings = .init())
        -> String
    {
        switch self {
        case .md:
            return MarkdownReport.render(stats)
                + (funnel.map { "\n### Cleaning\n\n" + FunnelReport.markdownTable($0) } ?? "")
        case .card: return DatasetCard.render(stats, funnel: funnel, settings: card)
        case .json: return StatsJSONWriter.json(stats).prettyPrinted() + "\n"
        case .html: return HTMLReport.render(stats, funnel: funnel)
        }
    }
}

/// The soc-stats sink: takes in every record (`.consume`), sorts it into chat, persona or other,
/// and at the end writes the figures in the chosen form and checks the `--require` gates.
/// Records are decided on worker threads; each work unit's figures are gathered apart and merged
/// into the whole in input order (the same merge as `soc-stats merge`), so every figure, floating
/// point included, is the same for any thread count.
public final class StatsStage: RecordStage {
    /// The figures of the units merged so far (on the primary stage); with `unit`, all of them.
    private var merged: StatsDocument
    /// The figures of the current work unit (on the stage that decides it).
    private var unit = StatsDocument()
    /// The persona objects this stage has read (kept across its units).
    private let personaCache = PersonaFiguresCache()
    /// The memory this stage reuses from chat to chat.
    private let scratch = ChatScratch()
    /// Every record's figures: the merged units and the current one.
    public var stats: StatsDocument {
        var all = merged
        all.merge(unit)
        return all
    }
    public let format: StatsFormat
    /// Where the figures go (`-` for stdout); written atomically.
    public let output: String
    private let figures: SideOutput
    public let requirements: [StatsRequirement]
    /// `--layout`: how chats lay out their conversation.
    public let layout: LayoutChoice
    /// The cleaning funnel of `--reports`, shown in the Markdown, HTML and card forms.
    public var funnel: CleaningFunnel?
    /// `--data-files`, `--language` for `--format card`.
    public var card = DatasetCard.Settings()
    /// The gates that failed, with their actual values (filled by `finish`).
    public private(set) var failures: [String] = []

    public init(
        inputs: [String], format: StatsFormat, output: String?, requirements: [StatsRequirement],
        layout: LayoutChoice = .auto
    ) {
        self.layout = layout
        merged = StatsDocument(inputs: inputs)
        self.format = format
        self.output = output ?? "-"
        figures = SideOutput(path: self.output, option: "-o")
        self.requirements = requirements
    }

    public func process(_ document: JSONDocument, at location: RecordLocation) -> Verdict {
        if let diagnosis = Self.add(
            document, to: &unit, layout: layout, personaCache: personaCache, scratch: scratch)
        {
            return .reject(diagnosis)
        }
        if unit.example == nil && document.bytes.count <= StatsDocument.exampleLimit {
            unit.example = String(decoding: document.bytes, as: UTF8.self)
        }
        return .consume
    }

    /// Sorts one record into `stats` by `RecordKind.detect`: a chat (in `layout`), an SPB
    /// persona, or another record. Returns why a would-be chat cannot be read.
    static func add(
        _ document: JSONDocument, to stats: inout StatsDocument, layout: LayoutChoice = .auto,
        personaCache: PersonaFiguresCache? = nil, scratch: ChatScratch? = nil
    ) -> Diagnosis? {
        switch RecordKind.detect(document, layout: layout) {
        case .soc:
            switch ChatView.of(document, layout: layout) {
            case .success(let chat): stats.chats.add(chat, personaCache: personaCache, scratch: scratch)
            case .failure(let diagnosis): return diagnosis
            }
        case .spb:
            stats.personas.add(document, persona: document.root)
        case nil:
            stats.other.add(document)
        }
        return nil
    }

    public func makeWorker() -> RecordStage? {
        StatsStage(inputs: [], format: format, output: output, requirements: requirements, layout: layout)
    }

    public func endUnit() -> (any WorkUnitResult)? {
        defer { unit = StatsDocument() }
        // The unit's buffered persona objects are read here, on the worker, not in the merge
        // on the writer thread (the one thread every unit passes through).
        unit.chats.flushPersonas()
        return unit
    }

    public func absorb(_ result: any WorkUnitResult) throws {
        guard let figures = result as? StatsDocument else { return }
        merged.merge(figures)
    }

    public func finish() throws {
        let stats = self.stats
        // The JSON document is built only when it is written or a gate reads it (its id sets'
        // encoding is a good part of the cost of writing).
        if format == .json || !requirements.isEmpty {
            let json = StatsJSONWriter.json(stats)
            failures = requirements.compactMap { $0.failure(in: json) }
            if format == .json {
                try figures.write(json.prettyPrinted() + "\n")
                return
            }
        }
        let text = format.render(stats, funnel: funnel, card: card)
        try figures.write(text)
    }

    public var sideOutputs: [SideOutput] { [figures] }

    public var reportExtras: [(String, JSONValue)] {
        let stats = self.stats
        return [
            ("chats", .number(JSONNumber(stats.chats.records))),
            ("personas", .number(JSONNumber(stats.personas.records))),
            ("other", .number(JSONNumber(stats.other.records))),
        ]
    }
}

extension StatsDocument: WorkUnitResult {}
