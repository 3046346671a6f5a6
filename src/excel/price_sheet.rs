//! Prijzenblad schrijven (writing the price sheet): the tender's Excel workbook, a sheet per
//! perceel, Dutch instructions, only the price cells unlocked and validated, the rest locked.

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, Format, FormatBorder, Formula, Workbook as Xlsx,
    Worksheet, XlsxError,
};

use crate::domain::money;
use crate::domain::price_sheet::{
    COL_AMOUNT, COL_DESCRIPTION, COL_PRICE, COL_QUANTITY, COL_UNIT, FIRST_LINE_ROW, HEADER_ROW, INSTRUCTIONS_SHEET,
    KENMERK_CELL, LotSheet, Workbook, cell_name,
};
use crate::errors::Error;

const EURO: &str = "€ #,##0.00";

fn xlsx(e: XlsxError) -> Error {
    Error::Internal(format!("prijzenblad: {e}"))
}

struct Formats {
    title: Format,
    bold: Format,
    wrap: Format,
    header: Format,
    locked_text: Format,
    locked_number: Format,
    input: Format,
    amount: Format,
    total: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new().set_border(FormatBorder::Thin);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            bold: Format::new().set_bold(),
            wrap: Format::new().set_text_wrap(),
            header: cell.clone().set_bold().set_background_color(0xD9E2F3).set_text_wrap(),
            locked_text: cell.clone(),
            locked_number: cell.clone().set_num_format("#,##0"),
            // The only cells a bidder types in: unlocked, and yellow so they are found.
            input: cell.clone().set_num_format(EURO).set_unlocked().set_background_color(0xFFF2CC),
            amount: cell.clone().set_num_format(EURO),
            total: cell.set_num_format(EURO).set_bold(),
        }
    }
}

/// A unit price for a line of a sheet, when filling in a copy (demo data, tests, benchmarks).
pub type Fill<'a> = &'a dyn Fn(&LotSheet, usize) -> Option<f64>;

/// The blank workbook as an .xlsx file in memory (a few hundred kB even for thousands of lines).
pub fn write(wb: &Workbook) -> Result<Vec<u8>, Error> {
    write_with(wb, &|_, _| None)
}

/// The workbook with the price cells that `fill` gives filled in, as a bidder would.
pub fn write_with(wb: &Workbook, fill: Fill) -> Result<Vec<u8>, Error> {
    let f = Formats::new();
    let mut book = Xlsx::new();
    instructions(book.add_worksheet(), wb, &f).map_err(xlsx)?;
    for sheet in &wb.sheets {
        lot_sheet(book.add_worksheet(), wb, sheet, &f, fill).map_err(xlsx)?;
    }
    book.save_to_buffer().map_err(xlsx)
}

fn instructions(ws: &mut Worksheet, wb: &Workbook, f: &Formats) -> Result<(), XlsxError> {
    ws.set_name(INSTRUCTIONS_SHEET)?;
    ws.set_column_width(0, 18)?;
    ws.set_column_width(1, 90)?;
    ws.write_string_with_format(0, 0, format!("Prijzenblad {}", wb.title), &f.title)?;
    ws.write_string_with_format(1, 0, "Aanbesteding", &f.bold)?;
    ws.write_string(1, 1, &wb.reference)?;
    let steps = [
        "Zo vult u dit prijzenblad in:",
        "1. Elk perceel heeft een eigen blad. Vul alleen de bladen in van de percelen waarop u inschrijft.",
        "2. Vul in de gele cellen van kolom D de prijs per eenheid in, in euro's exclusief btw: een getal van 0 of meer, met hoogstens twee decimalen. Geen tekst, geen eurosteken, geen formules.",
        "3. Kolom E en de prijs per traject rekent het blad zelf uit. De dienst rekent ze bij het uploaden opnieuw na; die uitkomst telt.",
        "4. Ligt de prijs per traject boven de plafondprijs, dan wordt het prijzenblad niet aangenomen.",
        "5. Wijzig geen andere cellen, voeg geen rijen of bladen toe en verander de namen van de bladen niet. Het kenmerk in cel D2 van elk blad hoort bij de versie van dat perceel; na een correctie van een perceel downloadt u het prijzenblad opnieuw.",
        "6. Upload het ingevulde bestand bij uw inschrijving per perceel (xlsx; xls en ods worden ook gelezen) en controleer de prijzen die de dienst eruit leest. Uploaden is nog geen indienen.",
    ];
    for (i, s) in steps.iter().enumerate() {
        ws.write_string_with_format(4 + i as u32, 1, *s, if i == 0 { &f.bold } else { &f.wrap })?;
    }
    ws.protect();
    Ok(())
}

fn lot_sheet(ws: &mut Worksheet, wb: &Workbook, s: &LotSheet, f: &Formats, fill: Fill) -> Result<(), XlsxError> {
    ws.set_name(&s.name)?;
    for (col, width) in [(COL_DESCRIPTION, 50), (COL_UNIT, 14), (COL_QUANTITY, 12), (COL_PRICE, 18), (COL_AMOUNT, 18)] {
        ws.set_column_width(col as u16, width)?;
    }
    ws.write_string_with_format(0, 0, format!("Prijzenblad perceel {}: {}", s.lot_number, s.lot_title), &f.title)?;
    ws.write_string(1, 0, format!("Aanbesteding {} – {}", wb.reference, wb.title))?;
    let (kr, kc) = KENMERK_CELL;
    ws.write_string_with_format(kr, kc as u16 - 1, "Kenmerk", &f.bold)?;
    ws.write_string(kr, kc as u16, &s.kenmerk)?;
    ws.write_string(
        2,
        0,
        "Vul in de gele cellen de prijs per eenheid in, in euro's exclusief btw. Zie het blad Toelichting.",
    )?;
    let ceiling = match s.ceiling_cents {
        Some(c) => format!("Plafondprijs per traject: {} exclusief btw.", money::format_euro(c)),
        None => "Voor dit perceel geldt geen plafondprijs.".to_owned(),
    };
    ws.write_string_with_format(3, 0, ceiling, &f.bold)?;
    let headers = ["Omschrijving", "Eenheid", "Aantal per traject", "Prijs per eenheid (€, excl. btw)", "Bedrag (€)"];
    for (col, h) in headers.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, col as u16, *h, &f.header)?;
    }
    for (i, line) in s.lines.iter().enumerate() {
        let row = FIRST_LINE_ROW + i as u32;
        ws.write_string_with_format(row, COL_DESCRIPTION as u16, &line.description, &f.locked_text)?;
        ws.write_string_with_format(row, COL_UNIT as u16, &line.unit, &f.locked_text)?;
        ws.write_number_with_format(row, COL_QUANTITY as u16, line.quantity as f64, &f.locked_number)?;
        match fill(s, i) {
            Some(price) => ws.write_number_with_format(row, COL_PRICE as u16, price, &f.input)?,
            None => ws.write_blank(row, COL_PRICE as u16, &f.input)?,
        };
        let amount = format!("={}*{}", cell_name(row, COL_QUANTITY), cell_name(row, COL_PRICE));
        ws.write_formula_with_format(row, COL_AMOUNT as u16, Formula::new(amount), &f.amount)?;
    }
    let total_row = s.total_row();
    let last = total_row - 1;
    ws.write_string_with_format(total_row, COL_DESCRIPTION as u16, "Prijs per traject (excl. btw)", &f.header)?;
    for col in [COL_UNIT, COL_QUANTITY, COL_PRICE] {
        ws.write_blank(total_row, col as u16, &f.header)?;
    }
    let sum = format!("=SUM({}:{})", cell_name(FIRST_LINE_ROW, COL_AMOUNT), cell_name(last, COL_AMOUNT));
    ws.write_formula_with_format(total_row, COL_AMOUNT as u16, Formula::new(sum), &f.total)?;
    let rule = DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_error_style(DataValidationErrorStyle::Stop)
        .set_error_title("Geen geldige prijs")?
        .set_error_message("Vul een bedrag in euro's in: een getal van 0 of meer, zonder tekst of eurosteken.")?
        .set_input_title("Prijs per eenheid")?
        .set_input_message("In euro's, exclusief btw; hoogstens twee decimalen.")?;
    ws.add_data_validation(FIRST_LINE_ROW, COL_PRICE as u16, last, COL_PRICE as u16, &rule)?;
    ws.set_freeze_panes(FIRST_LINE_ROW, 0)?;
    ws.protect();
    Ok(())
}
