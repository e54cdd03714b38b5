import Domain
import Parallelism
import Testing

@Suite("concurrentMap")
struct ConcurrentMapTests {
    @Test("the results of map, in order, on any number of threads", arguments: [0, 1, 255, 256, 1_000, 10_007])
    func sameAsMap(_ n: Int) {
        let items = (0..<n).map { "row \($0)" }
        let expected = items.map { $0.uppercased() + String($0.count) }
        for threads in [1, 2, 3, 8] {
            #expect(items.concurrentMap(threads: threads, minimumPerThread: 10) { $0.uppercased() + String($0.count) } == expected,
                    "\(n) items on \(threads) threads")
        }
    }
}
