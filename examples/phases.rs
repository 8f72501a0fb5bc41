fn main() {
    let root = std::path::PathBuf::from(std::env::args().nth(1).unwrap());
    let t = std::time::Instant::now();
    let loaded = personabook::load::load(&root);
    let t1 = t.elapsed();
    let opts = personabook::model::ResolveOptions { include_drafts: true, today: personabook::pipeline::today() };
    let (hb, d) = personabook::model::resolve(&loaded, opts);
    let t2 = t.elapsed();
    println!("load {:?} resolve {:?} ({} personas, {} diags)", t1, t2 - t1, hb.personas.len(), d.items.len());
}
