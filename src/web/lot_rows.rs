//! Rijen (rows) of the perceel form: which form row each criterion and volume of the input came
//! from, and which typed line each price line.

use crate::errors::{Error, FieldError};

/// For each criterion and each volume of the input, the form row it came from: rows left
/// empty are not in the input, so the input's positions and the form's rows differ.
pub struct Rows {
    criteria: Vec<usize>,
    volumes: Vec<usize>,
    /// The line number (from 1) each price line was typed on.
    price_lines: Vec<usize>,
}

impl Rows {
    pub fn new(criteria: Vec<usize>, volumes: Vec<usize>, price_lines: Vec<usize>) -> Rows {
        Rows { criteria, volumes, price_lines }
    }

    /// Names the problems of the input by the form rows they belong to.
    pub fn rename(&self, e: Error) -> Error {
        match e {
            Error::Validation(list) => Error::Validation(list.into_iter().map(|f| self.field(f)).collect()),
            other => other,
        }
    }

    /// Price lines are typed in one text area: their problems go there, named by line.
    fn field(&self, f: FieldError) -> FieldError {
        match f.name.strip_prefix("price_lines[").and_then(|rest| rest.split_once(']')) {
            Some((k, _)) => {
                let line = k.parse::<usize>().map_or(0, |k| self.price_lines.get(k).copied().unwrap_or(k + 1));
                FieldError::new("price_lines", format!("Regel {line}: {}", f.reason))
            }
            None => FieldError::new(self.name(&f.name), f.reason),
        }
    }

    fn name(&self, name: &str) -> String {
        for (prefix, rows) in [("quality_criteria[", &self.criteria), ("volumes[", &self.volumes)] {
            if let Some((k, tail)) = name.strip_prefix(prefix).and_then(|rest| rest.split_once(']'))
                && let Ok(k) = k.parse::<usize>()
            {
                let tail = if prefix == "volumes[" { ".estimated_volume" } else { tail };
                return format!("{prefix}{}]{tail}", rows.get(k).copied().unwrap_or(k));
            }
        }
        name.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_of_the_input_are_named_by_their_form_rows() {
        let rows = Rows { criteria: vec![1, 3], volumes: vec![0, 2], price_lines: vec![1, 2, 4] };
        assert_eq!(rows.name("quality_criteria[1].title"), "quality_criteria[3].title");
        assert_eq!(rows.name("volumes[1].municipality"), "volumes[2].estimated_volume");
        assert_eq!(rows.name("weights"), "weights");
        let line = rows.field(FieldError::new("price_lines[2].unit", "Geef de eenheid."));
        assert_eq!(
            (line.name.as_str(), line.reason.as_str()),
            ("price_lines", "Regel 4: Geef de eenheid."),
            "the line as typed, after an empty one"
        );
    }
}
