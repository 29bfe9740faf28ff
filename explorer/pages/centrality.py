import streamlit as st
st.title("centrality")
