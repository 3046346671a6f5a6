//! Perceel-formulier: the fields of a perceel form and their translation to the API's input.
//! Criteria and volumes come as parallel lists (one entry per row), the way a form posts them.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::FormView;
use super::form::{decimal, field_id, optional_int, options};
use super::lot_rows::Rows;
use crate::db::learning_route::LearningRoute;
use crate::domain::award_criterion::QualityCriterionInput;
use crate::domain::lot::{Lot, LotInput, PriceInput, VolumeInput};
use crate::domain::price_formula::PriceFormulaKind;
use crate::domain::price_line;
use crate::domain::tender::Tender;
use crate::errors::{FieldError, Problems};

/// Empty rows offered for new criteria.
const SPARE_ROWS: usize = 2;

#[derive(Deserialize, Serialize, Default)]
pub struct LotForm {
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub learning_route: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub max_winners: String,
    #[serde(default)]
    pub ceiling_price: String,
    #[serde(default)]
    pub ceiling_price_rationale: String,
    #[serde(default, rename = "price.formula")]
    pub price_formula: String,
    #[serde(default, rename = "price.weight_percent")]
    pub price_weight: String,
    #[serde(default, rename = "price.bandwidth_min")]
    pub bandwidth_min: String,
    #[serde(default, rename = "price.bandwidth_max")]
    pub bandwidth_max: String,
    #[serde(default, rename = "price.log_factor")]
    pub log_factor: String,
    #[serde(default)]
    pub volume_municipality: Vec<String>,
    #[serde(default)]
    pub volume: Vec<String>,
    #[serde(default)]
    pub criterion_title: Vec<String>,
    #[serde(default)]
    pub criterion_description: Vec<String>,
    #[serde(default)]
    pub criterion_weight: Vec<String>,
    #[serde(default)]
    pub criterion_scale: Vec<String>,
    #[serde(default)]
    pub criterion_value: Vec<String>,
    /// The prijzenblad's lines, one per line of text: `omschrijving; eenheid; aantal`.
    #[serde(default)]
    pub price_lines: String,
    #[serde(default)]
    pub correction_reason: String,
}

fn dec_nl(d: Option<Decimal>) -> String {
    d.map(|d| d.normalize().to_string().replace('.', ",")).unwrap_or_default()
}

fn cell(list: &[String], i: usize) -> String {
    list.get(i).cloned().unwrap_or_default()
}

impl LotForm {
    pub fn blank(t: &Tender) -> LotForm {
        let mut f = LotForm {
            max_winners: "1".into(),
            price_formula: PriceFormulaKind::RelativeToLowest.as_str().into(),
            ..Default::default()
        };
        f.volume_municipality = t.municipalities.iter().map(|m| m.cbs_code.clone()).collect();
        f.volume = vec![String::new(); f.volume_municipality.len()];
        f.pad_rows(4);
        f
    }

    pub fn of(t: &Tender, l: &Lot) -> LotForm {
        let q = &l.quality_criteria;
        let mut f = LotForm {
            number: l.number.to_string(),
            title: l.title.clone(),
            learning_route: l.learning_route.clone(),
            description: l.description.clone(),
            max_winners: l.max_winners.to_string(),
            ceiling_price: dec_nl(l.ceiling_price),
            ceiling_price_rationale: l.ceiling_price_rationale.clone(),
            price_formula: l.price.formula.as_str().into(),
            price_weight: dec_nl(Some(l.price.weight_percent)),
            bandwidth_min: dec_nl(l.price.bandwidth_min),
            bandwidth_max: dec_nl(l.price.bandwidth_max),
            log_factor: dec_nl(l.price.log_factor),
            volume_municipality: t.municipalities.iter().map(|m| m.cbs_code.clone()).collect(),
            volume: t
                .municipalities
                .iter()
                .map(|m| {
                    l.volumes
                        .iter()
                        .find(|v| v.municipality == m.cbs_code)
                        .map(|v| v.estimated_volume.to_string())
                        .unwrap_or_default()
                })
                .collect(),
            criterion_title: q.iter().map(|c| c.title.clone()).collect(),
            criterion_description: q.iter().map(|c| c.description.clone()).collect(),
            criterion_weight: q
                .iter()
                .map(|c| if c.value.is_some() { String::new() } else { dec_nl(Some(c.weight_percent)) })
                .collect(),
            criterion_scale: q.iter().map(|c| c.scale.clone()).collect(),
            criterion_value: q.iter().map(|c| dec_nl(c.value)).collect(),
            price_lines: price_line::to_text(&l.price_lines),
            correction_reason: String::new(),
        };
        let rows = f.criterion_title.len() + SPARE_ROWS;
        f.pad_rows(rows);
        f
    }

    /// The parallel lists of the criterion rows.
    fn criterion_lists(&self) -> [&Vec<String>; 5] {
        [
            &self.criterion_title,
            &self.criterion_description,
            &self.criterion_weight,
            &self.criterion_scale,
            &self.criterion_value,
        ]
    }

    fn rows(&self) -> usize {
        self.criterion_lists().iter().map(|l| l.len()).max().unwrap_or(0)
    }

    fn pad_rows(&mut self, n: usize) {
        let n = n.max(self.rows());
        for list in [
            &mut self.criterion_title,
            &mut self.criterion_description,
            &mut self.criterion_weight,
            &mut self.criterion_scale,
            &mut self.criterion_value,
        ] {
            list.resize(n, String::new());
        }
    }

    fn row_is_empty(&self, i: usize) -> bool {
        self.criterion_lists().iter().all(|l| cell(l, i).trim().is_empty())
    }

    /// The API's input, the problems found while reading typed text, and for each criterion
    /// in the input the form row it came from (empty rows are not criteria).
    pub fn input(&self) -> (LotInput, Vec<FieldError>, Rows) {
        let mut p = Vec::new();
        let ceiling_price = decimal(&mut p, "ceiling_price".into(), &self.ceiling_price);
        let weight_percent = decimal(&mut p, "price.weight_percent".into(), &self.price_weight).unwrap_or_default();
        let bandwidth_min = decimal(&mut p, "price.bandwidth_min".into(), &self.bandwidth_min);
        let bandwidth_max = decimal(&mut p, "price.bandwidth_max".into(), &self.bandwidth_max);
        let log_factor = decimal(&mut p, "price.log_factor".into(), &self.log_factor);
        let rows: Vec<usize> = (0..self.rows()).filter(|i| !self.row_is_empty(*i)).collect();
        let quality_criteria = rows
            .iter()
            .map(|&r| QualityCriterionInput {
                title: cell(&self.criterion_title, r),
                description: cell(&self.criterion_description, r),
                weight_percent: decimal(
                    &mut p,
                    format!("quality_criteria[{r}].weight_percent"),
                    &cell(&self.criterion_weight, r),
                )
                .unwrap_or_default(),
                scale: cell(&self.criterion_scale, r),
                value: decimal(&mut p, format!("quality_criteria[{r}].value"), &cell(&self.criterion_value, r)),
            })
            .collect();
        let number = optional_int(&mut p, "number".into(), &self.number, None);
        let max_winners = optional_int(&mut p, "max_winners".into(), &self.max_winners, Some(1)).unwrap_or(1);
        let mut volume_rows = Vec::new();
        let mut volumes = Vec::new();
        for (i, code) in self.volume_municipality.iter().enumerate() {
            let name = format!("volumes[{i}].estimated_volume");
            if cell(&self.volume, i).trim().is_empty() {
                p.push(FieldError::new(name, "Vul het geraamde aantal trajecten in (0 mag)."));
            } else if let Some(n) = optional_int(&mut p, name, &cell(&self.volume, i), None) {
                volume_rows.push(i);
                volumes.push(VolumeInput { municipality: code.clone(), estimated_volume: n });
            }
        }
        let formula = PriceFormulaKind::parse(&self.price_formula).unwrap_or_else(|| {
            p.push(FieldError::new("price.formula", "Kies een prijsformule."));
            PriceFormulaKind::RelativeToLowest
        });
        let mut lines = Problems::default();
        let (price_lines, typed_on) = price_line::parse_text(&self.price_lines, "price_lines", &mut lines);
        p.extend(lines.0);
        let input = LotInput {
            number,
            title: self.title.clone(),
            learning_route: self.learning_route.clone(),
            description: self.description.clone(),
            max_winners,
            ceiling_price,
            ceiling_price_rationale: self.ceiling_price_rationale.clone(),
            volumes,
            price: PriceInput { formula, weight_percent, bandwidth_min, bandwidth_max, log_factor },
            quality_criteria,
            price_lines,
        };
        (input, p, Rows::new(rows, volume_rows, typed_on))
    }

    /// The form's page data: scalar fields through the view, rows and volumes laid out per row.
    pub fn page(&self, view: FormView, t: &Tender, routes: &[LearningRoute]) -> Value {
        let scale_names: Vec<&str> = t.scales.iter().map(|s| s.name.as_str()).collect();
        let error = |name: String| view.errors.get(&name).cloned();
        let rows: Vec<Value> = (0..self.rows())
            .map(|r| {
                let name = |f: &str| format!("quality_criteria[{r}].{f}");
                let mut scales = vec![("", "— kies een schaal —")];
                scales.extend(scale_names.iter().map(|n| (*n, *n)));
                json!({
                    "number": r + 1,
                    "title": cell(&self.criterion_title, r),
                    "description": cell(&self.criterion_description, r),
                    "weight": cell(&self.criterion_weight, r),
                    "value": cell(&self.criterion_value, r),
                    "scales": options(scales, &cell(&self.criterion_scale, r)),
                    "labels": {
                        "title": format!("Titel van criterium {}", r + 1),
                        "description": format!("Toelichting bij criterium {} (de vraag aan de inschrijver)", r + 1),
                        "weight_percent": format!("Gewicht van criterium {} (%)", r + 1),
                        "scale": format!("Beoordelingsschaal van criterium {}", r + 1),
                        "value": format!("Waarde van criterium {} in euro (alleen bij gunnen op waarde)", r + 1),
                    },
                    "ids": {
                        "title": field_id(&name("title")), "description": field_id(&name("description")),
                        "weight_percent": field_id(&name("weight_percent")), "scale": field_id(&name("scale")), "value": field_id(&name("value")),
                    },
                    "errors": {
                        "title": error(name("title")), "description": error(name("description")),
                        "weight_percent": error(name("weight_percent")), "scale": error(name("scale")), "value": error(name("value")),
                    },
                })
            })
            .collect();
        let volumes: Vec<Value> = self
            .volume_municipality
            .iter()
            .enumerate()
            .map(|(i, code)| {
                let name = format!("volumes[{i}].estimated_volume");
                let label = t.municipalities.iter().find(|m| &m.cbs_code == code).map(|m| m.name.clone()).unwrap_or_else(|| code.clone());
                json!({ "code": code, "name": label, "id": field_id(&name), "value": cell(&self.volume, i), "error": error(name) })
            })
            .collect();
        let mut route_options = vec![("", "— kies de leerroute of module —")];
        route_options.extend(routes.iter().map(|r| (r.code.as_str(), r.name.as_str())));
        json!({
            "form": view,
            "rows": rows,
            "volumes": volumes,
            "routes": options(route_options, &self.learning_route),
            "formulas": options(PriceFormulaKind::ALL.iter().map(|k| (k.as_str(), k.label())), &self.price_formula),
        })
    }
}
