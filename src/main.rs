/// mimalloc: the sweep, import and search allocate millions of small
/// values; the system allocator spent a tenth of a sweep in malloc/free.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    dossier::cli::main()
}
