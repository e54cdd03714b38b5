import Dispatch
import Foundation

/// The threads `concurrentMap` splits work across by default: the machine's cores, at most 8.
public let concurrentMapThreadsDefault = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))

extension Array {
    /// `map`, split into one contiguous slice per thread, results in order. For transforms
    /// that read shared values and write nothing shared (validating rows, encoding a run's
    /// rows): the caller vouches for that, as `concurrentPerform` cannot check it.
    /// Collections smaller than `minimumPerThread` per thread are mapped on the caller's.
    public func concurrentMap<T>(threads: Int = concurrentMapThreadsDefault, minimumPerThread: Int = 256,
                                 _ transform: (Element) -> T) -> [T] {
        let n = count
        let parts = Swift.min(threads, n / Swift.max(1, minimumPerThread))
        guard parts > 1 else { return map(transform) }
        var out = [T?](repeating: nil, count: n)
        withoutActuallyEscaping(transform) { transform in
            out.withUnsafeMutableBufferPointer { buffer in
                // Each part writes its own slice of `buffer`, and nothing else.
                let shared = UncheckedSendable((buffer, self, transform))
                DispatchQueue.concurrentPerform(iterations: parts) { part in
                    let (buffer, items, transform) = shared.value
                    for i in (part * n / parts)..<((part + 1) * n / parts) { buffer[i] = transform(items[i]) }
                }
            }
        }
        return out.map { $0! }
    }
}

/// Hands values to `concurrentPerform`'s parts when the caller guarantees they are used safely.
private struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
