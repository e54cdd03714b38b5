// Intake — reading staff spreadsheets into validated Domain records.
//
// What it owns: CSV reading (RFC 4180, CRLF/LF, streamed in chunks), text
// decoding (UTF-8 with or without BOM, GB18030/GBK through glibc iconv,
// auto-detected), the columns of every import kind with their Chinese aliases,
// one parser per field rule, and row validation into `ValidatedRecord`s or
// `RowError`s that name file, row, column, (masked) value and rule.
//
// What is authoritative: CONTRACT.md §2 and POLICY.md §1.
//
// Pure: the shell hands in bytes, `today` and the references already loaded;
// nothing here reads files, the clock or the environment, or logs.
//
//   bytes ─▶ CSVReader ─▶ CSVRecord ─▶ IntakeValidator ─▶ .header(IntakeHeader)
//            (decode,        (row,        (columns, rules,     .accepted(record, raw:)
//             split)          fields)      references, keys)   .rejected(errors, raw:)
//
// Memory stays flat in the file size except for two documented exceptions:
// the duplicate-key index (16 bytes of digest + a row number per accepted key)
// and a regions file, whose rows are held to the end because a region may
// name a neighbour defined further down.
