import Testing
@testable import SOCCore
