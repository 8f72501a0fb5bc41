//! Benchmarks of the hot stages, on a real handbook: the example at the
//! repository root, or any handbook named by PERSONABOOK_BENCH_CORPUS
//! (e.g. a `large` corpus from the benchmark corpus generator).
//!
//!     cargo bench --bench pipeline
//!     PERSONABOOK_BENCH_CORPUS=/path/to/hb-large cargo bench --bench pipeline

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use personabook::model::ResolveOptions;
use std::hint::black_box;
use std::path::PathBuf;

fn corpus() -> PathBuf {
    std::env::var_os("PERSONABOOK_BENCH_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

fn opts() -> ResolveOptions {
    ResolveOptions { include_drafts: true, today: jiff::civil::date(2026, 11, 29) }
}

fn engine(c: &mut Criterion) {
    let root = corpus();
    let loaded = personabook::load::load(&root);
    let bytes: usize = loaded.files.iter().map(|f| f.text.len()).sum();
    let mut g = c.benchmark_group("engine");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(bytes as u64));
    g.bench_function("front_matter_split_and_parse", |b| {
        b.iter(|| {
            for f in &loaded.files {
                let split = personabook::load::front_matter::split(&f.text).ok();
                let yaml = split.map_or("", |s| s.yaml);
                black_box(serde_yaml::from_str::<serde_yaml::Value>(yaml).ok());
            }
        })
    });
    g.bench_function("load", |b| b.iter(|| black_box(personabook::load::load(&root))));
    g.bench_function("resolve", |b| {
        b.iter_batched(
            || loaded.clone(),
            |l| black_box(personabook::model::resolve(l, opts())),
            criterion::BatchSize::PerIteration,
        )
    });
    g.bench_function("load_and_resolve", |b| b.iter(|| black_box(personabook::pipeline::check(&root, opts()))));
    g.finish();
}

fn render(c: &mut Criterion) {
    let root = corpus();
    let (hb, _) = personabook::pipeline::check(&root, opts());
    let theme = personabook::theme::Theme::load(&root, &hb.config.theme, &mut Vec::new());
    let statics = personabook::load::statics::read_static(&root, &mut Vec::new());
    let names: std::collections::HashSet<&str> = statics.iter().map(|(p, _)| p.as_str()).collect();
    let first = personabook::model::ItemRef { collection: personabook::model::Collection::Persona, index: 0 };
    let mut g = c.benchmark_group("render");
    g.sample_size(10);
    g.bench_function("one_persona_profile_and_journey", |b| {
        b.iter(|| black_box(personabook::render::render_items(&hb, &theme, &names, &[first])))
    });
    // The whole site in memory: every page, the search index and the exports.
    g.bench_function("whole_site_in_memory", |b| {
        b.iter(|| black_box(personabook::render::render(&hb, &theme, statics.clone())))
    });
    g.finish();
}

criterion_group!(benches, engine, render);
criterion_main!(benches);
