fn main() {
    std::process::exit(tidings::cli::run());
}
