import streamlit as st
st.title("trade")
