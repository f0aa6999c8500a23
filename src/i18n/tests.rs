#[test]
#[ignore]
fn dump_help() {
    use clap::CommandFactory;
    for (k, v) in crate::cli::help::entries(&crate::cli::Cli::command()) {
        let v = v.replace('\n', " ");
        println!("{k} = {v}");
    }
}
