//! Opdrachtregel (command line): serve, manage users, verify the audit log, import regions.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::db::audit::{self as audit_store, Actor};
use crate::db::region::RegionFixture;
use crate::db::{self, Db, region};
use crate::domain::account::UserInput;
use crate::domain::role::Role;
use crate::errors::Error;
use crate::settings::{Settings, redact_url};
use crate::startup::Application;
use crate::state::AppState;
use crate::{auth, demo};

#[derive(Parser)]
#[command(name = "aanbesteding", version, about = "Regionale aanbesteding van inburgeringsleerroutes")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start de dienst (migraties worden eerst toegepast).
    Serve {
        /// Laad de demogegevens en druk de eenmalige wachtwoorden af.
        #[arg(long)]
        demo: bool,
    },
    /// Pas alleen de databasemigraties toe.
    Migrate,
    /// Gebruikers beheren.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Het logboek controleren.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Referentiegegevens inlezen.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Rapportages als Excel-bestand.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Intern: leest een rekenblad van stdin in een begrensd kindproces (zie excel::sandbox).
    #[command(name = "read-cells", hide = true)]
    ReadCells {
        #[arg(long)]
        sheet: Vec<String>,
        #[arg(long)]
        memory_bytes: u64,
        #[arg(long)]
        cpu_seconds: u64,
        #[arg(long)]
        max_input: u64,
        #[arg(long)]
        last_row: u32,
        #[arg(long)]
        last_col: u32,
        #[arg(long, value_delimiter = ',')]
        columns: Vec<u32>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Maak een account met een eenmalig wachtwoord.
    Add {
        /// beheerder, inkoper, beoordelaar, aanbieder, management of klantmanager
        #[arg(long)]
        role: String,
        #[arg(long)]
        email: String,
        /// Naam zoals getoond; standaard het e-mailadres.
        #[arg(long)]
        name: Option<String>,
        /// De gemeente (CBS-code) van een klantmanager, zoals GM0405.
        #[arg(long)]
        gemeente: Option<String>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Controleer de hashketens en noem de eerste gebroken regel.
    Verify {
        /// Alleen de keten van deze aanbesteding (id).
        #[arg(long)]
        tender: Option<i64>,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// De gunningsrapportage van een aanbesteding (id).
    Award {
        tender: i64,
        /// Het bestand om te schrijven.
        #[arg(short, long)]
        output: PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// Lees een regio met gemeenten in uit een JSON-bestand (zie fixtures/).
    Region { file: PathBuf },
}

/// Runs the command; the exit code is 0 on success, 1 on any failure or broken chain.
pub fn run() -> i32 {
    let cli = Cli::parse();
    match execute(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fout: {e}");
            if let Error::Internal(detail) | Error::Unavailable(detail) = &e {
                eprintln!("  {detail}");
            }
            if let Error::Validation(list) = &e {
                for f in list {
                    eprintln!("  {}: {}", f.name, f.reason);
                }
            }
            1
        }
    }
}

/// Opens the database, migrated and with the reference data every installation needs (the
/// leerroutes, regions and gemeenten): an account for a klantmanager names its gemeente.
fn connect() -> Result<(Settings, Db), Error> {
    let settings = Settings::from_env()?;
    let db = Db::connect(&settings.database_url, settings.pool_size)?;
    db::transaction(&mut *db.conn()?, demo::load_reference)?;
    Ok((settings, db))
}

fn execute(command: Command) -> Result<i32, Error> {
    match command {
        Command::Serve { demo } => serve(demo),
        Command::Export { command: ExportCommand::Award { tender, output } } => export_award(tender, &output),
        Command::Migrate => {
            let (settings, _) = connect()?;
            println!("migraties toegepast op {}", redact_url(&settings.database_url));
            Ok(0)
        }
        Command::User { command: UserCommand::Add { role, email, name, gemeente } } => {
            let role = Role::parse(&role).ok_or_else(|| {
                Error::invalid(
                    "role",
                    format!("Onbekende rol '{role}'; kies beheerder, inkoper, beoordelaar, aanbieder, management of klantmanager."),
                )
            })?;
            let (_, db) = connect()?;
            let name = name.unwrap_or_else(|| email.clone());
            let input = UserInput { name, email, role, municipality: gemeente }.validate()?;
            let (user, one_time) =
                db::transaction(&mut *db.conn()?, |conn| auth::create_account(conn, &input, &Actor::system("cli")))?;
            println!("account aangemaakt: {} ({})", user.email, user.role);
            println!("eenmalig wachtwoord: {one_time}");
            Ok(0)
        }
        Command::Audit { command: AuditCommand::Verify { tender } } => verify(tender),
        Command::ReadCells { sheet, memory_bytes, cpu_seconds, max_input, last_row, last_col, columns } => {
            let bounds = crate::excel::reader::Bounds { last_row, last_col, columns };
            Ok(crate::excel::sandbox::child(&sheet, &bounds, memory_bytes, cpu_seconds, max_input))
        }
        Command::Import { command: ImportCommand::Region { file } } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::invalid("file", format!("{}: {e}", file.display())))?;
            let fixture: RegionFixture =
                serde_json::from_str(&text).map_err(|e| Error::invalid("file", format!("{}: {e}", file.display())))?;
            let (_, db) = connect()?;
            let added = db::transaction(&mut *db.conn()?, |conn| region::import(conn, &fixture))?;
            println!("{}: {added} gemeente(n) toegevoegd", fixture.name);
            Ok(0)
        }
    }
}

fn verify(tender: Option<i64>) -> Result<i32, Error> {
    let (_, db) = connect()?;
    let mut conn = db.conn()?;
    let chains = match tender {
        Some(id) => vec![crate::domain::audit::tender_chain(id)],
        None => audit_store::chains(&mut conn)?,
    };
    let mut broken = 0;
    for chain in chains {
        match audit_store::verify_chain(&mut conn, &chain)? {
            Ok(n) => println!("in orde   {chain}: {n} regels"),
            Err(b) => {
                broken += 1;
                println!(
                    "GEBROKEN  {chain}: eerste gebroken regel is volgnummer {} (id {}): {}",
                    b.seq, b.id, b.reason
                );
            }
        }
    }
    Ok(if broken == 0 { 0 } else { 1 })
}

fn serve(with_demo: bool) -> Result<i32, Error> {
    let (settings, db) = connect()?;
    if with_demo {
        let lines = demo::load(&db)?;
        if lines.is_empty() {
            println!("Demogegevens geladen. De demo-accounts hebben hun wachtwoord al gewijzigd.");
        } else {
            println!("Demogegevens geladen. Eenmalige wachtwoorden (wijzigen bij eerste keer inloggen):");
            for line in lines {
                println!("  {line}");
            }
        }
    }
    let runtime = actix_web::rt::System::new();
    runtime.block_on(async move {
        let app = Application::build(AppState::new(db, settings.clone())?)?;
        let host = settings.bind_address.rsplit_once(':').map(|(h, _)| h).unwrap_or("127.0.0.1");
        println!(
            "aanbesteding luistert op http://{host}:{} (database: {})",
            app.port(),
            redact_url(&settings.database_url)
        );
        app.run_until_stopped().await.map_err(|e| Error::Internal(e.to_string()))
    })?;
    Ok(0)
}

/// Writes the award report of a tender to a file, as the web page and the API serve it.
fn export_award(tender: i64, output: &std::path::Path) -> Result<i32, Error> {
    let (settings, db) = connect()?;
    let state = AppState::new(db, settings)?;
    let report = actix_web::rt::System::new().block_on(crate::api::award_reports::gather(&state, tender))?;
    let bytes = crate::excel::award_report::write(&report)?;
    std::fs::write(output, &bytes)
        .map_err(|e| Error::Internal(format!("{} niet te schrijven: {e}", output.display())))?;
    let rows: usize = report.sheets.iter().map(|s| s.rows.len()).sum();
    println!(
        "gunningsrapportage geschreven naar {} ({} bladen, {rows} regels, {} bytes)",
        output.display(),
        report.sheets.len(),
        bytes.len()
    );
    Ok(0)
}
