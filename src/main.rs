//! Het programma: reads `.env` when present, then hands over to the command line.

fn main() {
    // The spreadsheet reader runs on hostile input: it gets none of the service's settings.
    if std::env::args().nth(1).as_deref() != Some(aanbesteding::excel::sandbox::SUBCOMMAND) {
        let _ = dotenvy::dotenv();
    }
    aanbesteding::init_logging();
    std::process::exit(aanbesteding::cli::run());
}
