/// What the runner needs to know besides the stage: where records come from and go.
public struct RunConfiguration {
    public var tool: String
    public var inputs: [InputFile]
    public var output: String?
    public var rejects: String?
    public var removed: String?
    public var report: String?
    public var strict: Bool
    public var maxLineBytes: Int
    public var maxDepth: Int
    /// When false, records are processed and counted but none is written (`--check`, `--dry-run`).
    public var writesRecords: Bool
    /// Threads (`--threads`), which take turns reading, deciding and applying units; 1 runs
    /// everything on one thread, 0 one per CPU this process may run on.
    public var threads: Int
    /// Side outputs the command writes itself (validate's `--errors`), opened and committed by
    /// the runner with the stage's own (`RecordStage.sideOutputs`).
    public var sideOutputs: [SideOutput] = []
    /// How the input is cut into work units (tests use small units to get many).
    public var batchLimits = BatchLimits.standard
    /// `--timings`: a summary of times and stage counters on stderr at the end.
    public var timings: Bool
    /// The first pass of a two-pass run (`soc-dedup --groups components`): no diagnostics on
    /// stderr and no failure for rejected lines; the second pass reports them.
    public var quiet = false

    /// A run of `tool` over `inputs` with the defaults of the command line: records to stdout,
    /// no side files, 64 MiB lines, depth 512, one thread per CPU.
    public init(tool: String, inputs: [InputFile]) {
        self.tool = tool
        self.inputs = inputs
        strict = false
        maxLineBytes = 64 << 20
        maxDepth = 512
        writesRecords = true
        threads = 0
        timings = false
    }
}
