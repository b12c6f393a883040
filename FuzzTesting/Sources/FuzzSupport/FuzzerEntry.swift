// The process entry of a fuzz target under SwiftPM.
//
// SwiftPM links an executable target with `main` aliased to `<Target>_main`
// (so that tests can link the module), and `-parse-as-library` means Swift
// emits no `main` of its own: the link then fails with "undefined symbol
// 'FuzzScanner_main'". Each target therefore defines `<Target>_main` with
// `@_cdecl` and hands control to libFuzzer's driver, as libFuzzer's own
// `main` would (LLVMFuzzerRunDriver, documented in LLVM's LibFuzzer.rst).

/// The callback type of LLVMFuzzerTestOneInput.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: FuzzCallback
) -> CInt

/// Runs libFuzzer's command line with `callback` as the target.
public func runFuzzer(
    argc: CInt, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ callback: FuzzCallback
) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}
