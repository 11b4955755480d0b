//! Events' canonical JSON written without serde's general writer: the frequent events of a
//! year's log other than timesheets (which `write_timesheet` writes), for their digests and
//! their log lines. Each writer is held to serde's bytes by a property test in the parent
//! module.

use rust_decimal::Decimal;
use time::Date;

use super::{no_premium, CashAccount, Event};
use crate::pool::labour::{decimal_text, json_str};
use crate::{
    ContractKind, CostPayment, EventId, GrainUnit, GreenhouseId, PaymentTerms, ProRating,
    RentTerms, SalePayment,
};

/// About the bytes of the canonical JSON of an event [`write_by_hand`] writes.
const BY_HAND_BYTES: usize = 256;

/// Appends the canonical JSON (the same bytes as
/// [`LoggedEvent::canonical_bytes`](super::LoggedEvent::canonical_bytes)) of the frequent
/// events of a year's log other than timesheets to `out`, without serde's general writer: a
/// member joining, their capital, a parcel's registration (four a household), a contract's
/// signing, a greenhouse's building, its harvest and the sale of its produce. `false`, with
/// nothing appended, for any other event, or one with a date outside the years 0 to 9999:
/// serde writes those.
pub(super) fn write_by_hand(
    out: &mut Vec<u8>,
    seq: u64,
    id: &EventId,
    event: &Event,
) -> serde_json::Result<bool> {
    match event {
        Event::ParcelRegistered { parcel } => {
            let (Some(registered), Some(retired)) =
                (Day::of(parcel.registered), Day::of_option(parcel.retired))
            else {
                return Ok(false);
            };
            open_canonical(out, seq, id, "parcel_registered")?;
            out.extend_from_slice(br#","parcel":{"id":"#);
            json_str(out, parcel.id.as_str())?;
            out.extend_from_slice(br#","owner":"#);
            json_str(out, parcel.owner.as_str())?;
            out.extend_from_slice(br#","area":""#);
            parcel.area.push_to(out);
            out.extend_from_slice(br#"","village":"#);
            json_str(out, parcel.village.as_str())?;
            out.extend_from_slice(br#","land_class":"#);
            json_str(out, parcel.land_class.as_str())?;
            out.extend_from_slice(br#","registered":"#);
            registered.push_to(out);
            out.extend_from_slice(br#","retired":"#);
            Day::push_option(retired, out);
            out.extend_from_slice(b"}}}");
        }
        Event::MemberJoined { member } => {
            let (Some(joined), Some(left)) = (Day::of(member.joined), Day::of_option(member.left))
            else {
                return Ok(false);
            };
            open_canonical(out, seq, id, "member_joined")?;
            out.extend_from_slice(br#","member":{"id":"#);
            json_str(out, member.id.as_str())?;
            out.extend_from_slice(br#","name":"#);
            json_str(out, member.name.as_str())?;
            match member.kind {
                crate::MemberKind::Household { persons } => {
                    out.extend_from_slice(br#","kind":"household","persons":"#);
                    crate::ledger::push_decimal(out, u64::from(persons));
                }
                crate::MemberKind::Collective => {
                    out.extend_from_slice(br#","kind":"collective""#);
                }
                crate::MemberKind::LegalPerson => {
                    out.extend_from_slice(br#","kind":"legal_person""#);
                }
            }
            out.extend_from_slice(br#","village":"#);
            json_str(out, member.village.as_str())?;
            out.extend_from_slice(br#","joined":"#);
            joined.push_to(out);
            out.extend_from_slice(br#","left":"#);
            Day::push_option(left, out);
            out.extend_from_slice(b"}}}");
        }
        Event::CapitalContributed {
            member,
            date,
            amount,
            into,
            source,
            premium,
        } => {
            let Some(date) = Day::of(*date) else {
                return Ok(false);
            };
            open_canonical(out, seq, id, "capital_contributed")?;
            out.extend_from_slice(br#","member":"#);
            json_str(out, member.as_str())?;
            out.extend_from_slice(br#","date":"#);
            date.push_to(out);
            out.extend_from_slice(br#","amount":""#);
            amount.push_bytes(out);
            out.extend_from_slice(match into {
                CashAccount::Bank => br#"","into":"bank""#.as_slice(),
                CashAccount::Cash => br#"","into":"cash""#.as_slice(),
            });
            if !source.is_other() {
                out.extend_from_slice(br#","source":"#);
                serde_json::to_writer(&mut *out, source)?;
            }
            if !no_premium(premium) {
                out.extend_from_slice(br#","premium":""#);
                premium.push_bytes(out);
                out.push(b'"');
            }
            out.extend_from_slice(b"}}");
        }
        Event::ContractSigned { contract } => {
            let (Some(start), Some(end)) = (Day::of(contract.start), Day::of(contract.end)) else {
                return Ok(false);
            };
            open_canonical(out, seq, id, "contract_signed")?;
            push_contract(out, contract, start, end)?;
        }
        Event::GreenhouseBuilt {
            greenhouse,
            paid_from,
        } => {
            let Some(built) = Day::of(greenhouse.built) else {
                return Ok(false);
            };
            open_canonical(out, seq, id, "greenhouse_built")?;
            out.extend_from_slice(br#","greenhouse":{"id":"#);
            json_str(out, greenhouse.id.as_str())?;
            out.extend_from_slice(br#","name":"#);
            json_str(out, greenhouse.name.as_str())?;
            out.extend_from_slice(br#","area":""#);
            greenhouse.area.push_to(out);
            out.extend_from_slice(br#"","crop":"#);
            json_str(out, greenhouse.crop.as_str())?;
            out.extend_from_slice(br#","built":"#);
            built.push_to(out);
            out.extend_from_slice(br#","cost":""#);
            greenhouse.cost.push_bytes(out);
            out.extend_from_slice(br#"","residual":""#);
            greenhouse.residual.push_bytes(out);
            out.extend_from_slice(br#"","life_months":"#);
            crate::ledger::push_decimal(out, u64::from(greenhouse.life_months));
            out.extend_from_slice(match paid_from {
                CostPayment::Cash => br#"},"paid_from":"cash"}}"#.as_slice(),
                CostPayment::Bank => br#"},"paid_from":"bank"}}"#.as_slice(),
                CostPayment::Payable => br#"},"paid_from":"payable"}}"#.as_slice(),
            });
        }
        Event::Harvested {
            greenhouse,
            date,
            kg,
            grade,
        } => {
            let Some(date) = Day::of(*date) else {
                return Ok(false);
            };
            open_canonical(out, seq, id, "harvested")?;
            push_produce(out, greenhouse, date, *kg)?;
            out.extend_from_slice(br#","grade":"#);
            json_str(out, grade.as_str())?;
            out.extend_from_slice(b"}}");
        }
        Event::ProduceSold {
            greenhouse,
            date,
            kg,
            price_per_kg,
            buyer,
            payment,
        } => {
            let Some(date) = Day::of(*date) else {
                return Ok(false);
            };
            open_canonical(out, seq, id, "produce_sold")?;
            push_produce(out, greenhouse, date, *kg)?;
            out.extend_from_slice(br#","price_per_kg":""#);
            decimal_text(out, *price_per_kg);
            out.extend_from_slice(br#"","buyer":"#);
            json_str(out, buyer.as_str())?;
            out.extend_from_slice(match payment {
                SalePayment::Cash => br#","payment":"cash"}}"#.as_slice(),
                SalePayment::Bank => br#","payment":"bank"}}"#.as_slice(),
                SalePayment::Credit => br#","payment":"credit"}}"#.as_slice(),
            });
        }
        _ => return Ok(false),
    }
    Ok(true)
}

/// Appends a contract signing's `"contract"` field, from its comma to the end of the
/// event: `,"contract":{…}}}`, `start` and `end` its dates' text.
fn push_contract(
    out: &mut Vec<u8>,
    contract: &crate::Contract,
    start: Day,
    end: Day,
) -> serde_json::Result<()> {
    out.extend_from_slice(br#","contract":{"id":"#);
    json_str(out, contract.id.as_str())?;
    out.extend_from_slice(br#","member":"#);
    json_str(out, contract.member.as_str())?;
    out.extend_from_slice(br#","lines":["#);
    for (n, line) in contract.lines.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        out.extend_from_slice(br#"{"parcel":"#);
        json_str(out, line.parcel.as_str())?;
        out.extend_from_slice(br#","area":""#);
        line.area.push_to(out);
        out.extend_from_slice(br#""}"#);
    }
    out.extend_from_slice(br#"],"start":"#);
    start.push_to(out);
    out.extend_from_slice(br#","end":"#);
    end.push_to(out);
    match &contract.kind {
        ContractKind::Transfer { rent } => {
            out.extend_from_slice(br#","kind":"transfer","rent":{"terms":"#);
            push_rent(out, rent)?;
            out.push(b'}');
        }
        ContractKind::LandShares {
            shares_per_mu,
            value_per_share,
            guaranteed_per_share,
        } => {
            out.extend_from_slice(br#","kind":"land_shares","shares_per_mu":""#);
            decimal_text(out, *shares_per_mu);
            out.extend_from_slice(br#"","value_per_share":""#);
            value_per_share.push_bytes(out);
            out.extend_from_slice(br#"","guaranteed_per_share":""#);
            decimal_text(out, *guaranteed_per_share);
            out.push(b'"');
        }
    }
    out.extend_from_slice(match contract.pro_rating {
        ProRating::ActualDays => br#","pro_rating":"actual_days""#.as_slice(),
        ProRating::MonthsAndDays => br#","pro_rating":"months_and_days""#.as_slice(),
    });
    let (terms, month, day): (&[u8], _, _) = match contract.payment {
        PaymentTerms::InAdvance { month, day } => (b"in_advance", month, day),
        PaymentTerms::InArrears { month, day } => (b"in_arrears", month, day),
    };
    out.extend_from_slice(br#","payment":{"payment":""#);
    out.extend_from_slice(terms);
    out.extend_from_slice(br#"","month":"#);
    crate::ledger::push_decimal(out, u64::from(month));
    out.extend_from_slice(br#","day":"#);
    crate::ledger::push_decimal(out, u64::from(day));
    out.extend_from_slice(br#"},"charge_to":"#);
    json_str(out, contract.charge_to.as_str())?;
    out.extend_from_slice(b"}}}");
    Ok(())
}

/// Appends a transfer's rent terms after `"terms":`, up to their object's closing brace
/// (not written).
fn push_rent(out: &mut Vec<u8>, rent: &RentTerms) -> serde_json::Result<()> {
    match rent {
        RentTerms::Fixed { yuan_per_mu } => {
            out.extend_from_slice(br#""fixed","yuan_per_mu":""#);
            decimal_text(out, *yuan_per_mu);
            out.push(b'"');
        }
        RentTerms::Stepped {
            yuan_per_mu,
            step_percent,
            every_years,
        } => {
            out.extend_from_slice(br#""stepped","yuan_per_mu":""#);
            decimal_text(out, *yuan_per_mu);
            out.extend_from_slice(br#"","step_percent":""#);
            decimal_text(out, *step_percent);
            out.extend_from_slice(br#"","every_years":"#);
            crate::ledger::push_decimal(out, u64::from(*every_years));
        }
        RentTerms::GrainIndexed {
            crop,
            unit,
            quantity_per_mu,
            reset_every_years,
        } => {
            out.extend_from_slice(br#""grain_indexed","crop":"#);
            json_str(out, crop)?;
            out.extend_from_slice(match unit {
                GrainUnit::Jin => br#","unit":"jin","quantity_per_mu":""#.as_slice(),
                GrainUnit::Kg => br#","unit":"kg","quantity_per_mu":""#.as_slice(),
            });
            decimal_text(out, *quantity_per_mu);
            out.extend_from_slice(br#"","reset_every_years":"#);
            crate::ledger::push_decimal(out, u64::from(*reset_every_years));
        }
    }
    Ok(())
}

/// Appends `{"seq":…,"id":…,"event":{"type":"…"`, the start of an event's canonical JSON.
pub(super) fn open_canonical(
    out: &mut Vec<u8>,
    seq: u64,
    id: &EventId,
    kind: &str,
) -> serde_json::Result<()> {
    out.reserve(BY_HAND_BYTES);
    out.extend_from_slice(b"{\"seq\":");
    crate::ledger::push_decimal(out, seq);
    out.extend_from_slice(b",\"id\":");
    json_str(out, id.as_str())?;
    out.extend_from_slice(br#","event":{"type":""#);
    out.extend_from_slice(kind.as_bytes());
    out.push(b'"');
    Ok(())
}

/// Appends the fields a harvest and a sale start with, after their type:
/// `,"greenhouse":…,"date":…,"kg":"…"`.
fn push_produce(
    out: &mut Vec<u8>,
    greenhouse: &GreenhouseId,
    date: Day,
    kg: Decimal,
) -> serde_json::Result<()> {
    out.extend_from_slice(br#","greenhouse":"#);
    json_str(out, greenhouse.as_str())?;
    out.extend_from_slice(br#","date":"#);
    date.push_to(out);
    out.extend_from_slice(br#","kg":""#);
    decimal_text(out, kg);
    out.push(b'"');
    Ok(())
}

/// A date the hand-written JSON covers (a year from 0 to 9999), as its text.
#[derive(Debug, Clone, Copy)]
struct Day([u8; 10]);

impl Day {
    /// `date`, if its year is one the writer covers ([`crate::iso_date::text`]).
    fn of(date: Date) -> Option<Day> {
        crate::iso_date::text(date).map(Day)
    }

    /// `Some(None)` for no date, `Some(Some(day))` for a date covered, `None` for one not.
    fn of_option(date: Option<Date>) -> Option<Option<Day>> {
        match date {
            None => Some(None),
            Some(date) => Day::of(date).map(Some),
        }
    }

    /// Appends the date as a JSON string, `"YYYY-MM-DD"`.
    fn push_to(self, out: &mut Vec<u8>) {
        out.push(b'"');
        out.extend_from_slice(&self.0);
        out.push(b'"');
    }

    /// Appends the date as a JSON string, or `null`.
    fn push_option(day: Option<Day>, out: &mut Vec<u8>) {
        match day {
            Some(day) => day.push_to(out),
            None => out.extend_from_slice(b"null"),
        }
    }
}
