//! Prijsregel (price line) storage: the lines of each perceel's prijzenblad, in order.

use diesel::prelude::*;

use super::DbConn;
use super::schema::lot_price_lines;
use crate::domain::price_line::PriceLine;
use crate::errors::Error;

/// Rows per INSERT: well below SQLite's limit on bound parameters.
const BATCH: usize = 500;

/// The lines of the given percelen, as (lot id, line), in order per perceel.
pub fn for_lots(conn: &mut DbConn, lot_ids: &[i64]) -> Result<Vec<(i64, PriceLine)>, Error> {
    let rows: Vec<(i64, String, String, i64)> = lot_price_lines::table
        .filter(lot_price_lines::lot_id.eq_any(lot_ids))
        .order((lot_price_lines::lot_id, lot_price_lines::position))
        .select((
            lot_price_lines::lot_id,
            lot_price_lines::description,
            lot_price_lines::unit,
            lot_price_lines::quantity,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(lot, description, unit, quantity)| (lot, PriceLine { description, unit, quantity }))
        .collect())
}

/// Replaces the perceel's lines.
pub fn write(conn: &mut DbConn, lot_id: i64, lines: &[PriceLine]) -> Result<(), Error> {
    diesel::delete(lot_price_lines::table.filter(lot_price_lines::lot_id.eq(lot_id))).execute(conn)?;
    for (n, batch) in lines.chunks(BATCH).enumerate() {
        let rows: Vec<_> = batch
            .iter()
            .enumerate()
            .map(|(i, l)| {
                (
                    lot_price_lines::lot_id.eq(lot_id),
                    lot_price_lines::position.eq((n * BATCH + i + 1) as i32),
                    lot_price_lines::description.eq(&l.description),
                    lot_price_lines::unit.eq(&l.unit),
                    lot_price_lines::quantity.eq(l.quantity),
                )
            })
            .collect();
        // One INSERT per batch, on the backend's own connection: the multi-backend one has no batch insert.
        let insert = diesel::insert_into(lot_price_lines::table).values(&rows);
        match conn {
            DbConn::Sqlite(c) => insert.execute(c)?,
            DbConn::Pg(c) => insert.execute(c)?,
        };
    }
    Ok(())
}
