module lspkit/bench/go

go 1.19
