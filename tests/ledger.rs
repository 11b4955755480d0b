//! Integration tests of `landpool::ledger` against the public API.

use std::path::PathBuf;
use std::process::Command;

use landpool::ledger::{
    AccountClass, AccountCode, Chart, Digest, Entry, EntryId, Journal, LedgerError, Movement,
    Posted, Side,
};
use landpool::{Error, Yuan};
use time::macros::date;
use time::Date;

fn code(text: &str) -> AccountCode {
    AccountCode::new(text).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn yuan(text: &str) -> Yuan {
    text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn ledger_error(result: landpool::Result<impl std::fmt::Debug>) -> LedgerError {
    match result {
        Err(Error::Ledger(e)) => e,
        other => panic!("expected a ledger error, got {other:?}"),
    }
}

/// A small fixed journal: two members, a crop and a greenhouse, a reversal, an entry posted
/// out of date order, memos with quotes and a semicolon.
fn sample_journal() -> Journal {
    let mut j = Journal::new();
    for (c, zh, en) in [
        ("114.M001", "张三", "Zhang San"),
        ("114.M002", "李四", "Li Si"),
        ("301.M001", "张三", "Zhang San"),
        ("301.M002", "李四", "Li Si"),
        ("501.GRAPE", "葡萄", "Grapes"),
        ("521.GH01", "1号大棚", "Greenhouse 1"),
        ("332.01", "各项分配", "Distributions"),
        ("332.02", "未分配盈余", "Undistributed surplus"),
    ] {
        j.open_account(code(c), zh, en)
            .unwrap_or_else(|e| panic!("{c}: {e}"));
    }
    let entries = [
        Entry::new("E1", date!(2019 - 01 - 05), "成员出资 股金")
            .debit(code("102"), yuan("30000.00"))
            .credit(code("301.M001"), yuan("20000.00"))
            .credit(code("301.M002"), yuan("10000.00")),
        Entry::new("E2", date!(2019 - 03 - 01), "土地流转租金; rent \"2019\"")
            .debit(code("401"), yuan("14000.00"))
            .credit(code("102"), yuan("14000.00")),
        Entry::new("E3", date!(2019 - 08 - 20), "葡萄销售")
            .debit(code("101"), yuan("25600.50"))
            .credit(code("501.GRAPE"), yuan("25600.50")),
        Entry::new("E4", date!(2019 - 02 - 10), "借支 Li Si")
            .debit(code("114.M002"), yuan("800.00"))
            .credit(code("101"), yuan("800.00")),
        Entry::new("E5", date!(2019 - 09 - 01), "化肥")
            .debit(code("521.GH01"), yuan("1234.56"))
            .credit(code("101"), yuan("1234.56")),
    ];
    for entry in entries {
        j.post(entry).unwrap_or_else(|e| panic!("{e}"));
    }
    j.reverse(
        &"E5".into(),
        "E5-R".into(),
        date!(2019 - 09 - 02),
        "冲销 E5",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    j.post(
        Entry::new("E6", date!(2019 - 09 - 03), "化肥 corrected")
            .debit(code("521.GH01"), yuan("1243.56"))
            .credit(code("101"), yuan("1243.56")),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    j
}

/// Every account code of a journal's chart.
fn all_codes(journal: &Journal) -> Vec<AccountCode> {
    journal.chart().iter().map(|a| a.code.clone()).collect()
}

/// The balance of `code` at `at` computed by folding over the entries.
fn folded_balance(journal: &Journal, code: &AccountCode, at: Option<Date>) -> i64 {
    let mut fen = 0i64;
    for entry in journal.entries() {
        if at.is_some_and(|d| entry.date > d) {
            continue;
        }
        for p in &entry.postings() {
            if p.account.is_within(code) {
                match p.side {
                    Side::Debit => fen += p.amount.fen(),
                    Side::Credit => fen -= p.amount.fen(),
                }
            }
        }
    }
    fen
}

mod chart {
    use super::*;

    #[test]
    fn the_2021_chart() {
        let chart = Chart::standard();
        assert_eq!(chart.len(), 50);
        let codes: Vec<&str> = chart.iter().map(|a| a.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "101", "102", "109", "113", "114", "121", "122", "124", "125", "127", "128", "131",
                "141", "142", "143", "144", "151", "152", "153", "154", "161", "162", "171", "181",
                "201", "211", "212", "213", "214", "215", "221", "222", "231", "235", "301", "311",
                "321", "322", "331", "332", "401", "501", "502", "511", "521", "522", "523", "524",
                "529", "531"
            ]
        );
        let get = |c: &str| {
            chart
                .get(&code(c))
                .cloned()
                .unwrap_or_else(|| panic!("{c}"))
        };
        let a = get("114");
        assert_eq!(
            (
                a.name_zh.as_str(),
                a.name_en.as_str(),
                a.class,
                a.normal_side
            ),
            (
                "成员往来",
                "Member current accounts",
                AccountClass::Asset,
                Side::Debit
            )
        );
        let a = get("143");
        assert_eq!(
            (a.name_zh.as_str(), a.normal_side),
            ("生产性生物资产累计折旧", Side::Credit)
        );
        let a = get("235");
        assert_eq!(
            (a.name_zh.as_str(), a.class),
            ("专项应付款", AccountClass::Liability)
        );
        let a = get("332");
        assert_eq!(
            (a.name_zh.as_str(), a.class, a.normal_side),
            ("盈余分配", AccountClass::Equity, Side::Credit)
        );
        let a = get("401");
        assert_eq!(
            (a.name_zh.as_str(), a.class),
            ("生产成本", AccountClass::Cost)
        );
        let a = get("511");
        assert_eq!(
            (a.name_zh.as_str(), a.class, a.normal_side),
            ("投资收益", AccountClass::ProfitAndLoss, Side::Credit)
        );
        let a = get("531");
        assert_eq!(
            (a.name_zh.as_str(), a.normal_side),
            ("所得税费用", Side::Debit)
        );
        assert!(chart.get(&code("103")).is_none());
    }

    #[test]
    fn sub_accounts() {
        let mut j = Journal::new();
        j.open_account(code("114.M001"), "张三", "Zhang San")
            .unwrap();
        j.open_account(code("114.M001"), "张三", "Zhang San")
            .unwrap();
        j.open_account(code("114"), "成员往来", "Member current accounts")
            .unwrap();
        let sub = j.chart().get(&code("114.M001")).cloned().unwrap();
        assert_eq!(
            (sub.class, sub.normal_side),
            (AccountClass::Asset, Side::Debit)
        );
        assert!(matches!(
            ledger_error(j.open_account(code("114.M001"), "张三", "Zhang 3")),
            LedgerError::AccountNameConflict { .. }
        ));
        assert!(matches!(
            ledger_error(j.open_account(code("114"), "往来", "x")),
            LedgerError::AccountNameConflict { .. }
        ));
        assert_eq!(
            ledger_error(j.open_account(code("114.M002.A"), "x", "x")),
            LedgerError::ParentNotOpen {
                code: "114.M002.A".into(),
                parent: "114.M002".into()
            }
        );
        assert_eq!(
            ledger_error(j.open_account(code("999"), "x", "x")),
            LedgerError::UnknownAccount { code: "999".into() }
        );
        // Under a 3-digit code the 2021 chart does not have: that code is named as unknown
        // (it can never be opened), not as a parent to open first.
        assert_eq!(
            ledger_error(j.open_account(code("999.X"), "x", "x")),
            LedgerError::UnknownAccount { code: "999".into() }
        );
        assert_eq!(
            ledger_error(j.open_account(code("103.A.B"), "x", "x")),
            LedgerError::UnknownAccount { code: "103".into() }
        );
        // An account with postings of its own gets no sub-accounts.
        j.post(
            Entry::new("E1", date!(2019 - 01 - 01), "")
                .debit(code("101"), Yuan::from_fen(1))
                .credit(code("102"), Yuan::from_fen(1)),
        )
        .unwrap();
        assert_eq!(
            ledger_error(j.open_account(code("101.A"), "x", "x")),
            LedgerError::ParentHasPostings {
                code: "101.A".into(),
                parent: "101".into()
            }
        );
    }
}

mod posting {
    use super::*;

    fn base() -> Entry {
        Entry::new("E9", date!(2019 - 06 - 01), "test")
            .debit(code("101"), yuan("10.00"))
            .credit(code("102"), yuan("10.00"))
    }

    #[test]
    fn errors_name_the_rule_the_entry_and_the_amounts() {
        let mut j = sample_journal();
        let cases: Vec<(Entry, &str)> = vec![
            (
                base().debit(code("523"), yuan("0.01")),
                "entry \"E9\" does not balance: debits 10.01, credits 10.00 (difference 0.01)",
            ),
            (
                Entry::new("E9", date!(2019 - 06 - 01), "").debit(code("101"), yuan("1.00")),
                "entry \"E9\" has 1 postings; an entry has from 2 to 1024",
            ),
            (
                base().debit(code("523"), Yuan::ZERO),
                "entry \"E9\", posting #2 (523): amount 0.00 must be more than zero",
            ),
            (
                base().debit(code("523"), yuan("-1.00")).credit(code("523"), yuan("-1.00")),
                "entry \"E9\", posting #2 (523): amount -1.00 must be more than zero",
            ),
            (
                base().debit(code("114.M009"), yuan("1.00")).credit(code("101"), yuan("1.00")),
                "entry \"E9\", posting #2: account 114.M009 is not in the chart of accounts (an unknown standard code or an unopened sub-account)",
            ),
            (
                base().debit(code("114"), yuan("1.00")).credit(code("101"), yuan("1.00")),
                "entry \"E9\", posting #2: account 114 has sub-accounts; post to one of them",
            ),
            (
                Entry::new("E 9", date!(2019 - 06 - 01), "").debit(code("101"), yuan("1.00")).credit(code("102"), yuan("1.00")),
                "invalid entry id \"E 9\": only A-Z, a-z, 0-9 and - _ . : / # @ + are allowed",
            ),
            (
                base().reversing("E404"),
                "entry \"E9\" reverses \"E404\", which is not in the journal",
            ),
            (
                base().reversing("E1"),
                "entry \"E9\" reverses \"E1\" but has 2 postings where the original has 3",
            ),
            (
                base().reversing("E5"),
                "entry \"E9\" reverses \"E5\", which entry \"E5-R\" already reversed",
            ),
            (
                Entry::new("E9", date!(2019 - 08 - 01), "")
                    .credit(code("101"), yuan("25600.50"))
                    .debit(code("501.GRAPE"), yuan("25600.50"))
                    .reversing("E3"),
                "entry \"E9\" dated 2019-08-01 reverses \"E3\" dated 2019-08-20; a reversal cannot come before the original",
            ),
            (
                Entry::new("E9", date!(2019 - 08 - 21), "")
                    .credit(code("102"), yuan("25600.50"))
                    .debit(code("501.GRAPE"), yuan("25600.50"))
                    .reversing("E3"),
                "entry \"E9\" reverses \"E3\" but posting #0 is Credit 102 25600.50 where the mirror of the original is Credit 101 25600.50",
            ),
            (
                Entry::new("E1", date!(2019 - 01 - 05), "other memo"),
                "entry id \"E1\" was already posted with other content (its memo differs); ids identify one entry for good",
            ),
        ];
        let before = serde_json::to_string(&j).unwrap();
        for (entry, message) in cases {
            let err = j.post(entry).unwrap_err();
            assert_eq!(err.to_string(), message);
            assert!(matches!(err, Error::Ledger(_)));
        }
        assert_eq!(serde_json::to_string(&j).unwrap(), before);
        j.close_year(2019).unwrap();
        assert_eq!(
            j.post(base()).unwrap_err().to_string(),
            "entry \"E9\" is dated 2019-06-01, on or before the end of 2019, which is closed (closing a year closes every year before it); book the correction in an open year"
        );
    }

    #[test]
    fn limits() {
        let mut j = Journal::new();
        let long_id = "A".repeat(129);
        assert!(matches!(
            ledger_error(j.post(base().clone_with_id(&long_id))),
            LedgerError::InvalidEntryId { .. }
        ));
        assert!(j.post(base().clone_with_id(&"A".repeat(128))).is_ok());
        let mut many = Entry::new("M", date!(2019 - 01 - 01), "");
        for _ in 0..1024 {
            many = many.debit(code("101"), Yuan::from_fen(1));
        }
        assert!(matches!(
            ledger_error(j.post(many.clone().credit(code("102"), Yuan::from_fen(1024)))),
            LedgerError::PostingCount { count: 1025, .. }
        ));
        many.postings.pop();
        assert!(j
            .post(many.credit(code("102"), Yuan::from_fen(1023)))
            .is_ok());
        let mut memo = base().clone_with_id("memo");
        memo.memo = "x".repeat(1025).into();
        assert!(matches!(
            ledger_error(j.post(memo)),
            LedgerError::InvalidMemo { .. }
        ));
        let mut date = base().clone_with_id("date");
        date.date = date!(1899 - 12 - 31);
        assert!(matches!(
            ledger_error(j.post(date)),
            LedgerError::DateOutOfRange { .. }
        ));
    }

    trait CloneWithId {
        fn clone_with_id(&self, id: &str) -> Entry;
    }

    impl CloneWithId for Entry {
        fn clone_with_id(&self, id: &str) -> Entry {
            let mut e = self.clone();
            e.id = EntryId::from(id);
            e
        }
    }

    #[test]
    fn idempotency_and_reversal() {
        let mut j = sample_journal();
        let n = j.len();
        let head = j.digest();
        let e3 = j.get(&"E3".into()).map(|e| e.to_entry()).unwrap();
        assert_eq!(j.post(e3).unwrap(), Posted::AlreadyPosted);
        assert_eq!(
            j.reverse(
                &"E5".into(),
                "E5-R".into(),
                date!(2019 - 09 - 02),
                "冲销 E5"
            )
            .unwrap(),
            Posted::AlreadyPosted
        );
        assert!(matches!(
            ledger_error(j.reverse(&"E5".into(), "E5-R2".into(), date!(2019 - 09 - 02), "again")),
            LedgerError::AlreadyReversed { .. }
        ));
        assert!(matches!(
            ledger_error(j.reverse(&"E404".into(), "X".into(), date!(2019 - 09 - 02), "")),
            LedgerError::UnknownOriginal { .. }
        ));
        assert_eq!((j.len(), j.digest()), (n, head));
        assert_eq!(j.reversed_by(&"E5".into()), Some(&EntryId::from("E5-R")));
        let reversal = j.get(&"E5-R".into()).unwrap();
        assert_eq!(reversal.reverses, Some(&EntryId::from("E5")));
        assert_eq!(reversal.postings().get(0).unwrap().side, Side::Credit);
        assert_eq!(
            *reversal.postings().get(0).unwrap().account,
            code("521.GH01")
        );
        // A reversal may itself be reversed (re-instating the original).
        assert!(matches!(
            j.reverse(&"E5-R".into(), "E5-RR".into(), date!(2019 - 09 - 05), "")
                .unwrap(),
            Posted::Recorded { .. }
        ));
        assert_eq!(j.closing_balance(&code("521")).unwrap(), yuan("2478.12"));
    }

    #[test]
    fn batches_are_all_or_nothing() {
        let mut j = sample_journal();
        let head = j.digest();
        let mirror = |id: &str| {
            Entry::new(id, date!(2019 - 09 - 10), "")
                .credit(code("101"), yuan("25600.50"))
                .debit(code("501.GRAPE"), yuan("25600.50"))
                .reversing("E3")
        };
        // Two reversals of one entry in one batch.
        assert_eq!(
            ledger_error(j.post_batch(vec![mirror("R1"), mirror("R2")])),
            LedgerError::AlreadyReversed {
                entry: "R2".into(),
                original: "E3".into(),
                reversed_by: "R1".into()
            }
        );
        // One id twice in one batch.
        assert!(matches!(
            ledger_error(j.post_batch(vec![mirror("R1"), mirror("R1")])),
            LedgerError::IdConflict { .. }
        ));
        assert_eq!(j.digest(), head);
        let e1 = j.get(&"E1".into()).map(|e| e.to_entry()).unwrap();
        let posted = j.post_batch(vec![e1, mirror("R1")]).unwrap();
        assert_eq!(posted[0], Posted::AlreadyPosted);
        assert_eq!(posted[1], Posted::Recorded { digest: j.digest() });
        assert_eq!(j.closing_balance(&code("501")).unwrap(), Yuan::ZERO);
        j.verify().unwrap();
    }

    /// A batch posts as one by one does: an entry and its reversal together (a correction
    /// made at once), and the first error is the one posting them one by one meets (an
    /// unbalanced second reversal is unbalanced before it is a second reversal).
    #[test]
    fn a_batch_of_reversals_posts_as_one_by_one() {
        let wrong = Entry::new("W1", date!(2019 - 02 - 01), "booked to the wrong account")
            .debit(code("523"), yuan("99.00"))
            .credit(code("101"), yuan("99.00"));
        let reversal = Entry::new("W1-R", date!(2019 - 02 - 03), "reverses W1")
            .credit(code("523"), yuan("99.00"))
            .debit(code("101"), yuan("99.00"))
            .reversing("W1");
        let mut one_by_one = sample_journal();
        one_by_one.post(wrong.clone()).unwrap();
        one_by_one.post(reversal.clone()).unwrap();
        let mut batched = sample_journal();
        let posted = batched.post_batch(vec![wrong, reversal]).unwrap();
        assert_eq!(posted.len(), 2);
        assert_eq!(batched, one_by_one);
        assert_eq!(batched.reversed_by(&"W1".into()), Some(&"W1-R".into()));

        let mut j = sample_journal();
        let head = j.digest();
        let first = Entry::new("R1", date!(2019 - 09 - 10), "")
            .credit(code("101"), yuan("25600.50"))
            .debit(code("501.GRAPE"), yuan("25600.50"))
            .reversing("E3");
        let unbalanced = Entry::new("R2", date!(2019 - 09 - 10), "")
            .credit(code("101"), yuan("25600.50"))
            .debit(code("501.GRAPE"), yuan("25600.49"))
            .reversing("E3");
        let batch_error = j
            .post_batch(vec![first.clone(), unbalanced.clone()])
            .unwrap_err();
        assert_eq!(j.digest(), head);
        let mut one = sample_journal();
        one.post(first).unwrap();
        assert_eq!(batch_error, one.post(unbalanced).unwrap_err());
        assert!(matches!(
            ledger_error(Err::<(), _>(batch_error)),
            LedgerError::Unbalanced { .. }
        ));
    }

    /// An entry already in the journal that a batch holds twice (a retry resending what was
    /// posted) is reported as already posted twice, whether or not the batch also holds a
    /// reversal (which makes it post one by one); an id new to the journal twice in a batch
    /// is refused either way.
    #[test]
    fn a_posted_entry_twice_in_a_batch_is_posted_already_with_or_without_a_reversal() {
        let posted = Entry::new("P1", date!(2019 - 02 - 01), "posted before")
            .debit(code("523"), yuan("12.00"))
            .credit(code("101"), yuan("12.00"));
        let wrong = Entry::new("W1", date!(2019 - 02 - 01), "booked to the wrong account")
            .debit(code("523"), yuan("99.00"))
            .credit(code("101"), yuan("99.00"));
        let reversal = Entry::new("W1-R", date!(2019 - 02 - 03), "reverses W1")
            .credit(code("523"), yuan("99.00"))
            .debit(code("101"), yuan("99.00"))
            .reversing("W1");
        let mut base = sample_journal();
        base.post(posted.clone()).unwrap();
        base.post(wrong).unwrap();
        let mut plain = base.clone();
        assert_eq!(
            plain
                .post_batch(vec![posted.clone(), posted.clone()])
                .unwrap(),
            [Posted::AlreadyPosted, Posted::AlreadyPosted]
        );
        assert_eq!(plain, base);
        let mut with_reversal = base.clone();
        let result = with_reversal
            .post_batch(vec![posted.clone(), posted.clone(), reversal.clone()])
            .unwrap();
        assert_eq!(result[..2], [Posted::AlreadyPosted, Posted::AlreadyPosted]);
        assert!(matches!(result[2], Posted::Recorded { .. }));
        assert_eq!(with_reversal.len(), base.len() + 1);
        assert_eq!(
            with_reversal.closing_balance(&code("523")).unwrap(),
            base.closing_balance(&code("523"))
                .unwrap()
                .checked_sub(yuan("99.00"))
                .unwrap()
        );
        // A new id twice is refused in both paths, and nothing changes.
        let fresh = Entry::new("N1", date!(2019 - 02 - 05), "new")
            .debit(code("523"), yuan("1.00"))
            .credit(code("101"), yuan("1.00"));
        for batch in [
            vec![fresh.clone(), fresh.clone()],
            vec![fresh.clone(), fresh.clone(), reversal.clone()],
        ] {
            let mut j = base.clone();
            assert!(matches!(
                ledger_error(j.post_batch(batch)),
                LedgerError::IdConflict {
                    field: "id (twice in one batch)",
                    ..
                }
            ));
            assert_eq!(j, base);
        }
    }

    #[test]
    fn overflow_is_refused() {
        let mut j = Journal::new();
        let half = Yuan::from_fen(i64::MAX / 2 + 1);
        let entry = |id: &str| {
            Entry::new(id, date!(2019 - 01 - 01), "")
                .debit(code("101"), half)
                .credit(code("102"), half)
        };
        j.post(entry("B1")).unwrap();
        assert_eq!(
            ledger_error(j.post(entry("B2"))),
            LedgerError::AmountOverflow {
                entry: "B2".into(),
                what: "the journal's total debits"
            }
        );
        assert_eq!(j.len(), 1);
    }
}

mod balances {
    use super::*;

    #[test]
    fn exact_balances() {
        let j = sample_journal();
        let bal = |c: &str, d: Date| j.balance(&code(c), d).unwrap().to_string();
        let end = date!(2019 - 12 - 31);
        assert_eq!(bal("101", end), "23556.94");
        assert_eq!(bal("101", date!(2019 - 08 - 19)), "-800.00");
        assert_eq!(bal("101", date!(2019 - 09 - 01)), "23565.94");
        assert_eq!(bal("102", end), "16000.00");
        assert_eq!(bal("102", date!(2019 - 01 - 04)), "0.00");
        assert_eq!(bal("301", end), "-30000.00");
        assert_eq!(bal("301.M001", end), "-20000.00");
        assert_eq!(bal("114", date!(2019 - 02 - 09)), "0.00");
        assert_eq!(bal("114", date!(2019 - 02 - 10)), "800.00");
        assert_eq!(bal("521", date!(2019 - 09 - 01)), "1234.56");
        assert_eq!(bal("521", date!(2019 - 09 - 02)), "0.00");
        assert_eq!(bal("521", end), "1243.56");
        assert_eq!(j.closing_balance(&code("501")).unwrap(), yuan("-25600.50"));
        assert_eq!(j.closing_balance(&code("332")).unwrap(), Yuan::ZERO);
        assert_eq!(
            j.movement(&code("101"), date!(2019 - 09 - 01), date!(2019 - 09 - 30))
                .unwrap(),
            Movement {
                debits: yuan("1234.56"),
                credits: yuan("2478.12")
            }
        );
        assert!(matches!(
            ledger_error(j.movement(&code("101"), end, date!(2019 - 01 - 01))),
            LedgerError::InvalidRange { .. }
        ));
        assert!(matches!(
            ledger_error(j.balance(&code("114.M999"), end)),
            LedgerError::UnknownAccount { .. }
        ));
        for c in all_codes(&j) {
            assert_eq!(
                j.closing_balance(&c).unwrap().fen(),
                folded_balance(&j, &c, None),
                "{c}"
            );
        }
    }

    /// Two members' current accounts (114) with offsetting balances from last year and no
    /// movement this year: the trial balance shows their parent 114 above them, with
    /// figures of zero (it rolls up to nothing), as it shows every row's parent.
    #[test]
    fn a_parent_whose_sub_accounts_offset_heads_them() {
        let mut j = Journal::new();
        j.open_account(code("114.M001"), "张三", "Zhang San")
            .unwrap();
        j.open_account(code("114.M002"), "李四", "Li Si").unwrap();
        j.post(
            Entry::new("E1", date!(2019 - 06 - 01), "借支与暂收")
                .debit(code("114.M001"), yuan("100.00"))
                .credit(code("114.M002"), yuan("100.00")),
        )
        .unwrap();
        let tb = j
            .trial_balance(date!(2020 - 01 - 01), date!(2020 - 12 - 31))
            .unwrap();
        let rows: Vec<(String, String, String)> = tb
            .rows
            .iter()
            .map(|r| {
                (
                    r.code.to_string(),
                    r.opening.to_string(),
                    r.closing.to_string(),
                )
            })
            .collect();
        let row = |code: &str, opening: &str, closing: &str| {
            (code.to_string(), opening.to_string(), closing.to_string())
        };
        assert_eq!(
            rows,
            [
                row("114", "0.00", "0.00"),
                row("114.M001", "100.00", "100.00"),
                row("114.M002", "-100.00", "-100.00"),
            ]
        );
    }

    #[test]
    fn trial_balance() {
        let j = sample_journal();
        let tb = j
            .trial_balance(date!(2019 - 03 - 01), date!(2019 - 08 - 31))
            .unwrap();
        let rows: Vec<String> = tb
            .rows
            .iter()
            .map(|r| {
                format!(
                    "{} {} L{} {} {} {} {} {}",
                    r.code,
                    r.name_zh,
                    r.level,
                    if r.is_leaf { "leaf" } else { "parent" },
                    r.opening,
                    r.debits,
                    r.credits,
                    r.closing
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                "101 库存现金 L1 leaf -800.00 25600.50 0.00 24800.50",
                "102 银行存款 L1 leaf 30000.00 0.00 14000.00 16000.00",
                "114 成员往来 L1 parent 800.00 0.00 0.00 800.00",
                "114.M002 李四 L2 leaf 800.00 0.00 0.00 800.00",
                "301 股金 L1 parent -30000.00 0.00 0.00 -30000.00",
                "301.M001 张三 L2 leaf -20000.00 0.00 0.00 -20000.00",
                "301.M002 李四 L2 leaf -10000.00 0.00 0.00 -10000.00",
                "401 生产成本 L1 leaf 0.00 14000.00 0.00 14000.00",
                "501 经营收入 L1 parent 0.00 0.00 25600.50 -25600.50",
                "501.GRAPE 葡萄 L2 leaf 0.00 0.00 25600.50 -25600.50",
            ]
        );
        let t = tb.totals;
        assert_eq!(
            [
                t.opening_debit,
                t.opening_credit,
                t.debits,
                t.credits,
                t.closing_debit,
                t.closing_credit
            ]
            .map(|y| y.to_string()),
            ["30800.00", "30800.00", "39600.50", "39600.50", "55600.50", "55600.50"]
        );
        assert_eq!(
            tb.row(&code("114.M002")).map(|r| r.closing),
            Some(yuan("800.00"))
        );
        // The whole year: the reversed fertiliser shows in both columns.
        let year = j
            .trial_balance(date!(2019 - 01 - 01), date!(2019 - 12 - 31))
            .unwrap();
        let gh = year.row(&code("521.GH01")).unwrap();
        assert_eq!(
            (gh.debits, gh.credits, gh.closing),
            (yuan("2478.12"), yuan("1234.56"), yuan("1243.56"))
        );
        assert_eq!(year.totals.debits, yuan("74113.18"));
        assert_eq!(year.totals.debits, year.totals.credits);
    }
}

mod chain {
    use super::*;
    use sha2::{Digest as _, Sha256};

    #[test]
    fn digest_recomputed_by_hand_from_the_documented_encoding() {
        let mut j = Journal::new();
        j.open_account(code("301.M001"), "张三", "Zhang San")
            .unwrap();
        j.post(
            Entry::new("E1", date!(2019 - 01 - 05), "股金")
                .debit(code("102"), yuan("1000.00"))
                .credit(code("301.M001"), yuan("1000.00")),
        )
        .unwrap();
        j.post(
            Entry::new("E2", date!(2019 - 01 - 06), "冲销")
                .credit(code("102"), yuan("1000.00"))
                .debit(code("301.M001"), yuan("1000.00"))
                .reversing("E1"),
        )
        .unwrap();
        // Written out by hand from the module documentation.
        let first =
            "landpool-entry-v1\nid:E1\ndate:2019-01-05\nmemo:6:股金\nreverses:\npostings:2\n\
                     D 102 1000.00\nC 301.M001 1000.00\n";
        let second =
            "landpool-entry-v1\nid:E2\ndate:2019-01-06\nmemo:6:冲销\nreverses:E1\npostings:2\n\
                      C 102 1000.00\nD 301.M001 1000.00\n";
        let mut hasher = Sha256::new();
        hasher.update([0u8; 32]);
        hasher.update(first.as_bytes());
        let d1: [u8; 32] = hasher.finalize().into();
        let mut hasher = Sha256::new();
        hasher.update(d1);
        hasher.update(second.as_bytes());
        let d2: [u8; 32] = hasher.finalize().into();
        let hex = |bytes: [u8; 32]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
        assert_eq!(j.digests()[0].to_string(), hex(d1));
        assert_eq!(j.digest().to_string(), hex(d2));
        assert_eq!(j.digest_of(&"E1".into()), Some(Digest::from_bytes(d1)));
        j.verify().unwrap();
    }

    /// A book's journal, whose digests are chained when first read, read at once from
    /// several threads (a service sharing the book): each reads the chain of the book's
    /// entries, as a journal posted to entry by entry has it.
    #[test]
    fn a_books_digests_read_from_several_threads_are_its_entries_chain() {
        use landpool::{Book, CapitalSource, CashAccount, Event, Member, MemberKind};
        fn shared<T: Send + Sync>(value: &T) -> &T {
            value
        }
        let mut book = Book::new();
        for (i, member) in ["M001", "M002", "M003"].into_iter().enumerate() {
            let joined = Event::MemberJoined {
                member: Member {
                    id: member.parse().unwrap(),
                    name: format!("社员{i}").as_str().into(),
                    kind: MemberKind::Household { persons: 4 },
                    village: "高格庄".into(),
                    joined: date!(2019 - 01 - 01),
                    left: None,
                },
            };
            book.apply(format!("join-{member}").parse().unwrap(), joined)
                .unwrap();
            let capital = Event::CapitalContributed {
                member: member.parse().unwrap(),
                date: date!(2019 - 01 - 02),
                amount: yuan("5000"),
                into: CashAccount::Bank,
                source: CapitalSource::Other,
                premium: Yuan::ZERO,
            };
            book.apply(format!("capital-{member}").parse().unwrap(), capital)
                .unwrap();
        }
        let mut by_hand = Journal::new();
        for entry in book.journal().entries().iter() {
            for posting in entry.postings() {
                if by_hand.chart().get(posting.account).is_none() {
                    by_hand
                        .open_account(posting.account.clone(), "sub", "sub")
                        .unwrap();
                }
            }
            by_hand.post(entry.to_entry()).unwrap();
        }
        assert_eq!(by_hand.digests().len(), 3);
        let journal = shared(book.journal());
        let read: Vec<(Vec<Digest>, Digest)> = std::thread::scope(|scope| {
            let readers: Vec<_> = (0..4)
                .map(|_| scope.spawn(|| (journal.digests().to_vec(), journal.digest())))
                .collect();
            readers.into_iter().map(|r| r.join().unwrap()).collect()
        });
        for (digests, head) in read {
            assert_eq!(digests, by_hand.digests());
            assert_eq!(head, by_hand.digest());
        }
        book.journal().verify().unwrap();
    }

    #[test]
    fn tampering_is_detected_on_reading() {
        let j = sample_journal();
        let json = serde_json::to_string(&j).unwrap();
        let back: Journal = serde_json::from_str(&json).unwrap();
        assert_eq!(back, j);
        back.verify().unwrap();
        // A changed memo keeps the entry valid but breaks its digest.
        let changed = json.replace("葡萄销售", "葡萄销货");
        let err = serde_json::from_str::<Journal>(&changed)
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("hash chain broken at entry #2 (\"E3\"): expected digest "),
            "{err}"
        );
        // A changed amount unbalances the entry.
        let changed = json.replacen("\"25600.50\"", "\"25600.51\"", 1);
        let err = serde_json::from_str::<Journal>(&changed)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("entry \"E3\" does not balance"), "{err}");
        // A changed head.
        let head = j.digest().to_string();
        let changed = json.replace(
            &format!("\"head\":\"{head}\""),
            &format!("\"head\":\"{}\"", Digest::ZERO),
        );
        let err = serde_json::from_str::<Journal>(&changed)
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("journal head digest"), "{err}");
        // Unknown fields and other versions are refused.
        assert!(
            serde_json::from_str::<Journal>(&json.replace("\"reverses\"", "\"reverse\"")).is_err()
        );
        assert!(
            serde_json::from_str::<Journal>(&json.replace("\"version\":1", "\"version\":2"))
                .is_err()
        );
    }

    #[test]
    fn json_form() {
        let mut j = Journal::new();
        j.open_account(code("301.M001"), "张三", "Zhang San")
            .unwrap();
        j.post(
            Entry::new("E1", date!(2019 - 01 - 05), "股金")
                .debit(code("102"), yuan("1000.00"))
                .credit(code("301.M001"), yuan("1000.00")),
        )
        .unwrap();
        j.close_year(2019).unwrap();
        let d = j.digest();
        assert_eq!(
            serde_json::to_string(&j).unwrap(),
            format!(
                concat!(
                    r#"{{"version":1,"accounts":[{{"code":"301.M001","name_zh":"张三","name_en":"Zhang San"}}],"#,
                    r#""closed_years":[2019],"entries":[{{"id":"E1","date":"2019-01-05","memo":"股金","#,
                    r#""postings":[{{"account":"102","side":"debit","amount":"1000.00"}},"#,
                    r#"{{"account":"301.M001","side":"credit","amount":"1000.00"}}],"reverses":null,"digest":"{d}"}}],"#,
                    r#""head":"{d}"}}"#
                ),
                d = d
            )
        );
        let back: Journal = serde_json::from_str(&serde_json::to_string(&j).unwrap()).unwrap();
        assert!(back.is_closed(2019));
    }
}

mod plain_text {
    use super::*;

    fn data(name: &str) -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/data/ledger")
            .join(name)
    }

    /// Compares `text` with the expected file; `LANDPOOL_BLESS=1` writes the file instead.
    fn expect_file(name: &str, text: &str) {
        let path = data(name);
        if std::env::var("LANDPOOL_BLESS").as_deref() == Ok("1") {
            std::fs::write(&path, text).unwrap();
        }
        let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (run with LANDPOOL_BLESS=1 to write it)",
                path.display()
            )
        });
        assert_eq!(text, expected, "{name} differs from the expected file");
    }

    #[test]
    fn hledger_text_matches_the_expected_file() {
        expect_file("sample.journal", &sample_journal().to_hledger());
    }

    #[test]
    fn beancount_text_matches_the_expected_file() {
        expect_file("sample.beancount", &sample_journal().to_beancount());
    }

    /// Whether `tool` runs; when it does not, fails if `LANDPOOL_REQUIRE_PLAINTEXT_TOOLS=1`
    /// and otherwise prints why the test is skipped.
    fn tool_available(tool: &str) -> bool {
        let runs = Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|out| out.status.success());
        if !runs {
            let required = std::env::var("LANDPOOL_REQUIRE_PLAINTEXT_TOOLS").as_deref() == Ok("1");
            assert!(
                !required,
                "{tool} is not installed and LANDPOOL_REQUIRE_PLAINTEXT_TOOLS=1 (run .ci/install-plaintext-tools)"
            );
            eprintln!("skipped: {tool} is not installed (run .ci/install-plaintext-tools)");
        }
        runs
    }

    /// A file in this process's temporary folder, removed when dropped (and the folder with
    /// the last one), so that test runs leave nothing behind.
    struct TempFile(PathBuf);

    impl AsRef<std::ffi::OsStr> for TempFile {
        fn as_ref(&self) -> &std::ffi::OsStr {
            self.0.as_os_str()
        }
    }

    impl Drop for TempFile {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
            if let Some(dir) = self.0.parent() {
                // Fails while another test's file is still in it; the last one removes it.
                let _ = std::fs::remove_dir(dir);
            }
        }
    }

    fn temp_file(name: &str, text: &str) -> TempFile {
        let dir = std::env::temp_dir().join(format!("landpool-ledger-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        TempFile(path)
    }

    /// A larger journal for the tools: the sample plus 400 generated entries over 2019-2020,
    /// posted out of date order, over member, crop and greenhouse sub-accounts.
    fn tool_journal() -> Journal {
        let mut j = sample_journal();
        j.open_account(code("114.M001.A"), "张三 甲", "Zhang San A")
            .ok();
        let leaves = [
            "101",
            "102",
            "114.M002",
            "301.M001",
            "401",
            "501.GRAPE",
            "521.GH01",
            "211",
            "332.01",
            "332.02",
            "152",
        ];
        let mut seed: u64 = 0x2019_0101;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % n
        };
        for i in 0..400u64 {
            let day = date!(2019 - 01 - 01).to_julian_day() + i32::try_from(next(730)).unwrap();
            let date = Date::from_julian_day(day).unwrap();
            let a = leaves[usize::try_from(next(11)).unwrap()];
            let b = leaves[usize::try_from(next(11)).unwrap()];
            let c = leaves[usize::try_from(next(11)).unwrap()];
            let x = i64::try_from(next(5_000_000) + 1).unwrap();
            let y = i64::try_from(next(5_000_000) + 1).unwrap();
            j.post(
                Entry::new(format!("G{i}"), date, format!("generated {i}"))
                    .debit(code(a), Yuan::from_fen(x + y))
                    .credit(code(b), Yuan::from_fen(x))
                    .credit(code(c), Yuan::from_fen(y)),
            )
            .unwrap();
        }
        j
    }

    /// The export name → code map of a chart.
    fn names(j: &Journal) -> Vec<(String, AccountCode)> {
        j.chart()
            .iter()
            .map(|a| {
                (
                    j.chart().export_name(&a.code).unwrap().to_string(),
                    a.code.clone(),
                )
            })
            .collect()
    }

    /// Account names go into the `account` directives' comments, where hledger reads
    /// `word:` as a tag: a name saying `type: glass` made hledger refuse the file, and one
    /// saying `type:L` made a member's receivable a liability. The names' colons are written
    /// full-width, so hledger reads them as text and keeps each account's type.
    #[test]
    fn hledger_reads_no_tag_in_account_names() {
        let mut j = Journal::new();
        j.open_account(
            code("521.GH01"),
            "1号大棚 玻璃温室",
            "Greenhouse 1 type: glass",
        )
        .unwrap();
        j.open_account(code("114.M001"), "张三", "Zhang San, type:L, member")
            .unwrap();
        j.post(
            Entry::new("E1", date!(2019 - 03 - 01), "film and an advance")
                .debit(code("521.GH01"), yuan("123.45"))
                .debit(code("114.M001"), yuan("500.00"))
                .credit(code("101"), yuan("623.45")),
        )
        .unwrap();
        let text = j.to_hledger();
        assert!(text.contains(
            "account Assets:C114-MemberAccounts:M001  ; 张三 Zhang San, type：L, member\n"
        ));
        if !tool_available("hledger") {
            return;
        }
        let path = temp_file("tags.journal", &text);
        let liabilities = Command::new("hledger")
            .arg("-s")
            .arg("-f")
            .arg(&path)
            .args(["balance", "--flat", "--no-total", "type:L"])
            .output()
            .unwrap();
        assert!(
            liabilities.status.success(),
            "hledger refused the export: {}",
            String::from_utf8_lossy(&liabilities.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&liabilities.stdout).trim(), "");
        let assets = Command::new("hledger")
            .arg("-s")
            .arg("-f")
            .arg(&path)
            .args(["balance", "--flat", "--no-total", "type:A"])
            .output()
            .unwrap();
        let assets = String::from_utf8_lossy(&assets.stdout);
        assert!(
            assets.contains("500.00 CNY  Assets:C114-MemberAccounts:M001"),
            "{assets}"
        );
    }

    #[test]
    fn hledger_reports_the_library_balances() {
        if !tool_available("hledger") {
            return;
        }
        let j = tool_journal();
        let path = temp_file("tools.journal", &j.to_hledger());
        let names = names(&j);
        // Balances at the end, and at the end of 2019-06-30 (hledger's -e is exclusive).
        for (end, at) in [
            (None, None),
            (Some("2019-07-01"), Some(date!(2019 - 06 - 30))),
        ] {
            let mut seen = 0;
            for depth in 2..=5 {
                let mut cmd = Command::new("hledger");
                cmd.arg("-s").arg("-f").arg(&path).args([
                    "balance",
                    "--flat",
                    "--no-total",
                    "-O",
                    "csv",
                ]);
                cmd.arg("--depth").arg(depth.to_string());
                if let Some(end) = end {
                    cmd.args(["-e", end]);
                }
                let out = cmd.output().unwrap();
                assert!(
                    out.status.success(),
                    "hledger failed: {}",
                    String::from_utf8_lossy(&out.stderr)
                );
                let text = String::from_utf8(out.stdout).unwrap();
                let mut listed = Vec::new();
                for line in text.lines().skip(1) {
                    let fields: Vec<&str> = line.split(',').map(|f| f.trim_matches('"')).collect();
                    let [name, amount] = fields[..] else {
                        panic!("unexpected line {line:?}")
                    };
                    let (_, c) = names
                        .iter()
                        .find(|(n, _)| n == name)
                        .unwrap_or_else(|| panic!("unknown account {name}"));
                    let expected = match at {
                        Some(at) => j.balance(c, at).unwrap(),
                        None => j.closing_balance(c).unwrap(),
                    };
                    let shown = if expected.is_zero() {
                        "0".to_string()
                    } else {
                        format!("{expected} CNY")
                    };
                    assert_eq!(amount, shown, "{name} ({c}) at depth {depth}");
                    listed.push(c.clone());
                    seen += 1;
                }
                // Every account at this depth with a balance is listed.
                for c in all_codes(&j).into_iter().filter(|c| c.level() + 1 == depth) {
                    let balance = match at {
                        Some(at) => j.balance(&c, at).unwrap(),
                        None => j.closing_balance(&c).unwrap(),
                    };
                    if !balance.is_zero() {
                        assert!(listed.contains(&c), "{c} missing at depth {depth}");
                    }
                }
            }
            assert!(seen > 20, "hledger listed only {seen} balances");
        }
    }

    /// The beancount text with balance assertions for every account, written with three
    /// decimals so that bean-check's tolerance is below a fen.
    fn with_assertions(j: &Journal, shift: Option<(AccountCode, i64)>) -> String {
        let mut text = j.to_beancount();
        let names = names(j);
        let checks = [
            (date!(2019 - 07 - 01), Some(date!(2019 - 06 - 30))),
            (date!(2021 - 01 - 01), None),
        ];
        for (on, at) in checks {
            for (name, c) in &names {
                let mut fen = match at {
                    Some(at) => j.balance(c, at).unwrap().fen(),
                    None => j.closing_balance(c).unwrap().fen(),
                };
                if let Some((shifted, by)) = &shift {
                    if shifted == c && at.is_none() {
                        fen += by;
                    }
                }
                text.push_str(&format!(
                    "\n{on} balance {name}  {}0 CNY\n",
                    Yuan::from_fen(fen)
                ));
            }
        }
        text
    }

    #[test]
    fn bean_check_accepts_the_text_and_the_library_balances() {
        if !tool_available("bean-check") {
            return;
        }
        let j = tool_journal();
        let plain = temp_file("tools.beancount", &j.to_beancount());
        let out = Command::new("bean-check").arg(&plain).output().unwrap();
        assert!(
            out.status.success(),
            "bean-check: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let checked = temp_file("tools-checked.beancount", &with_assertions(&j, None));
        let out = Command::new("bean-check").arg(&checked).output().unwrap();
        assert!(
            out.status.success(),
            "bean-check: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The assertions bite: one fen off is reported.
        let off = temp_file(
            "tools-off.beancount",
            &with_assertions(&j, Some((code("301"), 1))),
        );
        let out = Command::new("bean-check").arg(&off).output().unwrap();
        assert!(
            !out.status.success(),
            "bean-check missed a balance one fen off"
        );
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// The leaf accounts the generated entries book to.
    const LEAVES: [&str; 10] = [
        "101",
        "102",
        "114.M001",
        "114.M002",
        "301.M001",
        "401",
        "501.GRAPE",
        "521.GH01",
        "521.GH02",
        "211",
    ];

    /// Parents and leaves whose balances the properties compare.
    const QUERIED: [&str; 14] = [
        "101",
        "102",
        "114",
        "114.M001",
        "114.M002",
        "301",
        "301.M001",
        "401",
        "501",
        "501.GRAPE",
        "521",
        "521.GH01",
        "521.GH02",
        "211",
    ];

    fn fresh() -> Journal {
        let mut j = Journal::new();
        for (c, zh, en) in [
            ("114.M001", "张三", "Zhang San"),
            ("114.M002", "李四", "Li Si"),
            ("301.M001", "张三", "Zhang San"),
            ("501.GRAPE", "葡萄", "Grapes"),
            ("521.GH01", "1号大棚", "Greenhouse 1"),
            ("521.GH02", "2号大棚", "Greenhouse 2"),
        ] {
            j.open_account(code(c), zh, en).unwrap();
        }
        j
    }

    /// One generated entry: a day offset into 2019-2020, debits (account, fen), credit
    /// accounts that share the total, a memo.
    #[derive(Debug, Clone)]
    struct Spec {
        day: i32,
        debits: Vec<(usize, i64)>,
        credits: Vec<usize>,
        memo: String,
    }

    /// An amount in fen: mostly an everyday one, sometimes one about the largest the journal
    /// keeps in 32 bits (42,949,672.95 yuan) or far above it.
    fn amount() -> impl Strategy<Value = i64> {
        prop_oneof![
            8 => 100i64..100_000_000,
            1 => 4_294_967_000i64..4_294_968_000,
            1 => 1i64 << 40..1i64 << 41,
        ]
    }

    fn spec() -> impl Strategy<Value = Spec> {
        (
            0..731i32,
            prop::collection::vec((0..LEAVES.len(), amount()), 1..=3),
            prop::collection::vec(0..LEAVES.len(), 1..=3),
            "[a-z 股金葡萄\"\\\\;:]{0,12}",
        )
            .prop_map(|(day, debits, credits, memo)| Spec {
                day,
                debits,
                credits,
                memo,
            })
    }

    fn entry(i: usize, spec: &Spec) -> Entry {
        let date = Date::from_julian_day(date!(2019 - 01 - 01).to_julian_day() + spec.day).unwrap();
        let mut e = Entry::new(format!("P{i}"), date, spec.memo.clone());
        let total: i64 = spec.debits.iter().map(|d| d.1).sum();
        for &(a, fen) in &spec.debits {
            e = e.debit(code(LEAVES[a]), Yuan::from_fen(fen));
        }
        let n = spec.credits.len() as i64;
        for (k, &a) in spec.credits.iter().enumerate() {
            let share = if k == 0 {
                total - (total / n) * (n - 1)
            } else {
                total / n
            };
            e = e.credit(code(LEAVES[a]), Yuan::from_fen(share));
        }
        e
    }

    fn build(specs: &[Spec]) -> Journal {
        let mut j = fresh();
        for (i, s) in specs.iter().enumerate() {
            assert!(matches!(
                j.post(entry(i, s)).unwrap(),
                Posted::Recorded { .. }
            ));
        }
        j
    }

    fn query_dates() -> Vec<Date> {
        vec![
            date!(2018 - 12 - 31),
            date!(2019 - 01 - 01),
            date!(2019 - 06 - 30),
            date!(2019 - 12 - 31),
            date!(2020 - 02 - 29),
            date!(2020 - 12 - 31),
        ]
    }

    /// Every balance the properties compare, at every query date.
    fn balances(j: &Journal) -> Vec<Yuan> {
        let mut out = Vec::new();
        for c in QUERIED {
            for d in query_dates() {
                out.push(j.balance(&code(c), d).unwrap());
            }
            out.push(j.closing_balance(&code(c)).unwrap());
        }
        out
    }

    /// A change that makes an entry invalid, or a journal state that refuses it.
    fn invalid(j: &mut Journal, base: Entry, how: u8) -> Entry {
        let mut e = base;
        match how % 7 {
            0 => e.postings[0].amount = Yuan::from_fen(e.postings[0].amount.fen() + 1),
            1 => e.postings[0].account = code("114.M999"),
            2 => e.postings[0].amount = Yuan::ZERO,
            3 => e.postings[0].account = code("114"),
            4 => e.postings.truncate(1),
            5 => e.reverses = Some(EntryId::from("P0-never")),
            _ => {
                j.close_year(e.date.year()).unwrap();
            }
        }
        e
    }

    proptest! {
        #[test]
        fn debits_equal_credits_and_balances_are_folds(specs in prop::collection::vec(spec(), 1..40)) {
            let j = build(&specs);
            j.verify().unwrap();
            let tb = j.trial_balance(date!(2019 - 01 - 01), date!(2020 - 12 - 31)).unwrap();
            prop_assert_eq!(tb.totals.debits, tb.totals.credits);
            let total: i64 = j.entries().iter().flat_map(|e| e.postings())
                .filter(|p| p.side == Side::Debit).map(|p| p.amount.fen()).sum();
            prop_assert_eq!(tb.totals.debits.fen(), total);
            for c in QUERIED {
                let c = code(c);
                for d in query_dates() {
                    prop_assert_eq!(j.balance(&c, d).unwrap().fen(), folded_balance(&j, &c, Some(d)));
                }
                prop_assert_eq!(j.closing_balance(&c).unwrap().fen(), folded_balance(&j, &c, None));
                // A movement over a range is the difference of two balances.
                let m = j.movement(&c, date!(2019 - 07 - 01), date!(2020 - 02 - 29)).unwrap();
                prop_assert_eq!(
                    m.net().fen(),
                    folded_balance(&j, &c, Some(date!(2020 - 02 - 29))) - folded_balance(&j, &c, Some(date!(2019 - 06 - 30)))
                );
            }
            // A trial balance over part of the period: every row's closing is the balance.
            let part = j.trial_balance(date!(2019 - 04 - 01), date!(2019 - 09 - 30)).unwrap();
            for row in &part.rows {
                prop_assert_eq!(row.closing, j.balance(&row.code, date!(2019 - 09 - 30)).unwrap());
                prop_assert_eq!(row.opening, j.balance(&row.code, date!(2019 - 03 - 31)).unwrap());
            }
        }

        #[test]
        fn a_refused_entry_changes_nothing(
            specs in prop::collection::vec(spec(), 1..20),
            extra in spec(),
            how in any::<u8>(),
        ) {
            let mut j = build(&specs);
            let e = invalid(&mut j, entry(specs.len(), &extra), how);
            let (json, head, len, before) = (serde_json::to_string(&j).unwrap(), j.digest(), j.len(), balances(&j));
            prop_assert!(j.post(e).is_err());
            prop_assert_eq!(serde_json::to_string(&j).unwrap(), json);
            prop_assert_eq!((j.digest(), j.len()), (head, len));
            prop_assert_eq!(balances(&j), before);
            // A batch with a bad entry at the end changes nothing either.
            let good = entry(specs.len() + 1, &extra);
            let mut bad = entry(specs.len() + 2, &extra);
            bad.postings[0].amount = Yuan::from_fen(bad.postings[0].amount.fen() + 1);
            prop_assert!(j.post_batch(vec![good, bad]).is_err());
            prop_assert_eq!((j.digest(), j.len()), (head, len));
        }

        /// The journal keeps postings apart from their entries and lends views of them: the
        /// views give back exactly the entries posted (one by one or as a batch), in order,
        /// by index and by id, with the same canonical bytes and JSON, a reversal included.
        #[test]
        fn the_journal_lends_back_the_entries_posted(
            specs in prop::collection::vec(spec(), 0..40),
            reverse in any::<prop::sample::Index>(),
            batched in any::<bool>(),
        ) {
            let mut posted: Vec<Entry> = specs.iter().enumerate().map(|(i, s)| entry(i, s)).collect();
            let mut j = fresh();
            if batched {
                j.post_batch(posted.clone()).unwrap();
            } else {
                for e in &posted {
                    j.post(e.clone()).unwrap();
                }
            }
            if let Some(original) = posted.get(reverse.index(posted.len().max(1))).cloned() {
                j.reverse(&original.id, "R".into(), date!(2021 - 01 - 01), "冲销").unwrap();
                let mut reversal = Entry::new("R", date!(2021 - 01 - 01), "冲销");
                reversal.reverses = Some(original.id.clone());
                for p in &original.postings {
                    reversal = reversal.posting(p.account.clone(), p.side.opposite(), p.amount);
                }
                posted.push(reversal);
            }
            let entries = j.entries();
            prop_assert_eq!(entries.len(), posted.len());
            prop_assert_eq!(entries.iter().len(), posted.len());
            prop_assert_eq!(entries.to_vec(), posted.clone());
            prop_assert!(entries.get(posted.len()).is_none());
            for (index, e) in posted.iter().enumerate() {
                let by_index = entries.get(index).unwrap();
                let by_id = j.get(&e.id).unwrap();
                prop_assert_eq!(by_index, by_id);
                prop_assert_eq!(by_index, e.clone());
                prop_assert_eq!(by_index.postings().len(), e.postings.len());
                for (k, p) in e.postings.iter().enumerate() {
                    prop_assert_eq!(by_index.postings().get(k).unwrap().to_posting(), p.clone());
                }
                prop_assert_eq!(by_index.canonical_bytes(), e.canonical_bytes());
                prop_assert_eq!(serde_json::to_string(&by_index).unwrap(), serde_json::to_string(e).unwrap());
            }
            let backwards: Vec<String> = entries.iter().rev().map(|e| e.id.to_string()).collect();
            let expected: Vec<String> = posted.iter().rev().map(|e| e.id.to_string()).collect();
            prop_assert_eq!(backwards, expected);
            j.verify().unwrap();
        }

        #[test]
        fn replaying_the_serialized_journal_gives_the_same_books(
            specs in prop::collection::vec(spec(), 0..40),
            reverse in any::<prop::sample::Index>(),
        ) {
            let mut j = build(&specs);
            if !specs.is_empty() {
                let original = EntryId::from(format!("P{}", reverse.index(specs.len())));
                j.reverse(&original, "R".into(), date!(2021 - 01 - 01), "冲销").unwrap();
            }
            j.close_year(2019).unwrap();
            let json = serde_json::to_string(&j).unwrap();
            let back: Journal = serde_json::from_str(&json).unwrap();
            prop_assert_eq!(&back, &j);
            prop_assert_eq!(back.digests(), j.digests());
            prop_assert_eq!(balances(&back), balances(&j));
            prop_assert_eq!(serde_json::to_string(&back).unwrap(), json);
            prop_assert!(back.is_closed(2019));
        }

        #[test]
        fn changing_any_byte_of_an_entry_is_detected(
            specs in prop::collection::vec(spec(), 1..12),
            position in any::<prop::sample::Index>(),
            replacement in any::<u8>(),
        ) {
            let j = build(&specs);
            let json = serde_json::to_vec(&j).unwrap();
            let text = String::from_utf8_lossy(&json);
            let start = text.find("\"entries\":[").unwrap() + "\"entries\":[".len();
            let end = text.rfind("],\"head\"").unwrap();
            let at = start + position.index(end - start);
            prop_assume!(json[at] != replacement);
            let mut changed = json.clone();
            changed[at] = replacement;
            match serde_json::from_slice::<Journal>(&changed) {
                Err(_) => {}
                Ok(read) => {
                    prop_assert!(read.verify().is_err(), "byte {} changed to {:?} went unnoticed", at, replacement as char);
                }
            }
        }
    }
}
