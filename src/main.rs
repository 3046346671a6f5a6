//! Het programma: reads `.env` when present, then hands over to the command line.

fn main() {
    let _ = dotenvy::dotenv();
    aanbesteding::init_logging();
    std::process::exit(aanbesteding::cli::run());
}
