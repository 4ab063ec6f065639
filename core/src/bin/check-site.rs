//! `npm run site`'s checker: reads a site file on standard input and writes the site as it
//! is to be stored, as JSON, on standard output; or says what is wrong on standard error and
//! exits with status 1, so that nothing is written to D1.

use std::io::Read;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut text = String::new();
    if let Err(error) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("the site file could not be read: {error}");
        return ExitCode::FAILURE;
    }
    let written = portevoix_core::site_file::checked(&text).and_then(|site| {
        serde_json::to_string(&site).map_err(|error| {
            portevoix_core::error::Error::Storage(format!("the site as JSON: {error}"))
        })
    });
    match written {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{error}");
            ExitCode::FAILURE
        }
    }
}
